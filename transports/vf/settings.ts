/** The vf transport's settings (the socket transports' common ones: transports/stream/settings.ts). */
import { streamSettings } from "../stream/settings.ts";

export const { fragmentBytes, eagerLimit, inflightBytes } = streamSettings("vf");

export const vfSettings = [fragmentBytes, eagerLimit, inflightBytes];
