// Pinning a thread to one core (`tsmpi run --bind-to core`), as Open MPI's
// --bind-to core does for processes: here a rank is a thread, so each rank
// thread (and each NIC thread) pins itself. On Linux sched_setaffinity with
// pid 0 applies to the calling thread only.
#define _GNU_SOURCE
#include <node_api.h>
#include <sched.h>

// bind(cpu) -> boolean: pin the calling thread to `cpu`.
static napi_value bind_thread(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t cpu = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &cpu) != napi_ok || cpu < 0 || cpu >= CPU_SETSIZE) {
    napi_throw_range_error(env, NULL, "bind: expected a CPU number");
    return NULL;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  napi_value out;
  napi_get_boolean(env, sched_setaffinity(0, sizeof(set), &set) == 0, &out);
  return out;
}

// allowed() -> number[]: the CPUs the calling thread may run on.
static napi_value allowed(napi_env env, napi_callback_info info) {
  (void)info;
  cpu_set_t set;
  CPU_ZERO(&set);
  napi_value out;
  napi_create_array(env, &out);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return out;
  uint32_t n = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &set)) continue;
    napi_value v;
    napi_create_int32(env, cpu, &v);
    napi_set_element(env, out, n++, v);
  }
  return out;
}

// current() -> number: the CPU the calling thread runs on now.
static napi_value current(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int32(env, sched_getcpu(), &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    {"bind", NULL, bind_thread, NULL, NULL, NULL, napi_default, NULL},
    {"allowed", NULL, allowed, NULL, NULL, NULL, napi_default, NULL},
    {"current", NULL, current, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
