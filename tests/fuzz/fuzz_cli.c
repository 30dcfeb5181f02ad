/*
 * fuzz_cli.c — libFuzzer harness for command-line argument vectors, calling
 * the cposim driver's main in-process (src/cli/main.c compiled with
 * -Dmain=cposim_cli_main).
 *
 * The input is the arguments, one per line (at most 24).  To keep the
 * harness from writing anywhere or running for minutes:
 *   - the value of -o/--output/--graph becomes a file in the scratch
 *     directory, that of --figures a directory there, and --map is dropped (PLplot exits the process on a bad
 *     path, issue 9 item 4);
 *   - --threads is dropped (libgomp aborts at 100000 threads, issue 9
 *     item 8: a CLI fix outside this harness's scope);
 *   - `--max-memory 0.03` is appended to thermal, fabric and report (the
 *     commands that take it; a 128^2 preset fits), and with
 *     `thermal` `--set thermal.transient.max_steps=300`, with
 *     `reliability`/`tco` `--replicas 2 --years 0.05`; being last, they win.
 * Run with -close_fd_mask=3: the driver's stdout and stderr are discarded.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS cli
 */
#include "fuzz_common.h"

#define MAX_ARGS 24

int cposim_cli_main(int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(false, false);
    /* relative outputs and scenario names land in the scratch directory */
    if (chdir(fz_dir) != 0)
        fz_die("fuzz: chdir");
    /* the bundled data, wherever the harness runs from */
    char abs[4096];
    if (!realpath(fz_data, abs))
        fz_die("fuzz: data directory");
    setenv("CPOSIM_DATA", abs, 1);
    return 0;
}

static bool has(char **v, int n, const char *word)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i], word) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 16];
    int argc = 0;
    argv[argc++] = "cposim";
    char *save = NULL;
    for (char *a = strtok_r(text, "\n", &save); a && argc < MAX_ARGS;
         a = strtok_r(NULL, "\n", &save)) {
        if (!strcmp(a, "--threads") || !strcmp(a, "--map")) {
            strtok_r(NULL, "\n", &save); /* and its value */
            continue;
        }
        argv[argc++] = a;
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--graph")) {
            if (strtok_r(NULL, "\n", &save))
                argv[argc++] = (char *)fz_path("out.txt");
        } else if (!strcmp(a, "--figures")) { /* report: a directory it may make */
            if (strtok_r(NULL, "\n", &save))
                argv[argc++] = (char *)fz_path("figures");
        }
    }
    bool thermal = has(argv, argc, "thermal");
    bool rel = has(argv, argc, "reliability") || has(argv, argc, "tco");
    /* only the commands that take it: any other refuses the option (and
     * would never run) */
    if (thermal || has(argv, argc, "fabric") || has(argv, argc, "report")) {
        argv[argc++] = "--max-memory";
        argv[argc++] = "0.03";
    }
    if (thermal) {
        argv[argc++] = "--set";
        argv[argc++] = "thermal.transient.max_steps=300";
    }
    if (rel) {
        argv[argc++] = "--replicas";
        argv[argc++] = "2";
        argv[argc++] = "--years";
        argv[argc++] = "0.05";
    }
    argv[argc] = NULL;
    cposim_cli_main(argc, argv);
    free(text);
    return 0;
}
