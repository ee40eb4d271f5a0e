{
  "targets": [
    {
      "target_name": "single_copy",
      "sources": ["transports/shm/native/single-copy.c"],
      "cflags": ["-O2"]
    }
  ]
}
