{
  "targets": [
    {
      "target_name": "single_copy",
      "sources": ["transports/shm/native/single-copy.c"],
      "cflags": ["-O2"]
    },
    {
      "target_name": "affinity",
      "sources": ["src/engine/live/native/affinity.c"],
      "cflags": ["-O2"]
    }
  ]
}
