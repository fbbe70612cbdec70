/* A started open62541 server and nothing else: its RSS and the time UA_Server_new takes, for
 * benches/ns0/measure (ADR 0017). */
#include <open62541/server.h>
#include <open62541/server_config_default.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r"); char line[256]; long v = -1;
    while (fgets(line, sizeof line, f)) if (!strncmp(line, "VmRSS:", 6)) sscanf(line + 6, "%ld", &v);
    fclose(f); return v;
}
int main(void) {
    long before = rss_kib();
    struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
    UA_Server *server = UA_Server_new();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    UA_Server_run_startup(server);
    for (int i = 0; i < 50; i++) UA_Server_run_iterate(server, false);
    long after = rss_kib();
    printf("rss_before_kib=%ld rss_after_kib=%ld server_new_ms=%.1f\n", before, after,
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    UA_Server_run_shutdown(server); UA_Server_delete(server);
    return 0;
}
