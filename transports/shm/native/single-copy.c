// Single-copy transfers between ranks of one VM (worker threads of one
// process), the role CMA / XPMEM / KNEM play for Open MPI's shared-memory
// transport: the sender exposes the address of its (off-heap, non-moving)
// buffer, and the receiver copies straight from it into its own buffer, so a
// large message is copied once instead of twice through a ring.
//
// Safety rests on the protocol above this file: the sender keeps its buffer
// referenced (so it is neither collected nor detached) until the receiver
// answers that its copy is done.
#include <node_api.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

static napi_value fail(napi_env env, const char* message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// Returns the data pointer and byte length of a typed array (or DataView).
static int view_info(napi_env env, napi_value value, uint8_t** data, size_t* bytes) {
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed) return 0;
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void* ptr = NULL;
  napi_value ab;
  if (napi_get_typedarray_info(env, value, &type, &length, &ptr, &ab, &offset) != napi_ok) return 0;
  size_t element = 1;
  switch (type) {
    case napi_int16_array: case napi_uint16_array: element = 2; break;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: element = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: element = 8; break;
    default: element = 1;
  }
  *data = (uint8_t*)ptr;
  *bytes = length * element;
  return 1;
}

// address(view) -> bigint: where the view's first byte lives.
static napi_value address(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t* data = NULL;
  size_t bytes = 0;
  if (argc < 1 || !view_info(env, argv[0], &data, &bytes)) return fail(env, "address: expected a typed array");
  napi_value out;
  napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)data, &out);
  return out;
}

// copyFrom(address: bigint, into: typed array): copies into.byteLength bytes from address.
static napi_value copy_from(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2) return fail(env, "copyFrom: expected (address, into)");
  uint64_t from = 0;
  bool lossless = false;
  if (napi_get_value_bigint_uint64(env, argv[0], &from, &lossless) != napi_ok || from == 0) return fail(env, "copyFrom: bad address");
  uint8_t* data = NULL;
  size_t bytes = 0;
  if (!view_info(env, argv[1], &data, &bytes)) return fail(env, "copyFrom: expected a typed array to copy into");
  if (bytes > 0) memcpy(data, (const void*)(uintptr_t)from, bytes);
  return NULL;
}

// yieldCpu(): give the core to another runnable thread (sched_yield). A rank
// polling for a message while ranks outnumber cores calls it between polls,
// as Open MPI does when oversubscribed (mpi_yield_when_idle): the peer it
// waits for gets to run at once instead of at the end of a time slice.
static napi_value yield_cpu(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  sched_yield();
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"address", NULL, address, NULL, NULL, NULL, napi_default, NULL},
      {"copyFrom", NULL, copy_from, NULL, NULL, NULL, napi_default, NULL},
      {"yieldCpu", NULL, yield_cpu, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
