# A measurement aid, not a build of the product (docs/benchmarks.md, P4): open62541 without
# its session diagnostics objects. Given to open62541-sys's CMake build through the
# environment, in a target directory of its own:
#   CMAKE_TOOLCHAIN_FILE=$PWD/benches/open62541-no-diagnostics.cmake \
#     cargo build --release -p opc-plc --target-dir target/bench-nodiag
#   target/release/bench run --only p4 --plc target/release/opc-plc --load target/release/opc-load \
#     --plc-alt target/bench-nodiag/release/opc-plc --plc-alt-name "opc-plc (no session diagnostics)"
set(UA_ENABLE_DIAGNOSTICS OFF CACHE BOOL "" FORCE)
