// All-reduce bus bandwidth, 1 MB to 256 MB, as nccl-tests' all_reduce_perf reports it (dev.gpush.bench.AllReduceBench).
//   gpush launch --nproc-per-node 2 examples/allreduce_bench.jsh                  # nccl where it runs, else cpu
//   gpush launch --nproc-per-node 2 examples/allreduce_bench.jsh --backend cpu --max-mb 64
dev.gpush.bench.AllReduceBench.main(args);
