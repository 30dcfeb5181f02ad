/*
 * test_cli_output.c — the command's output files (src/cli/cli_output.c,
 * linked in with the other CLI objects): what goes into -o FILE fails half
 * way (a solver failure mid-transient) -> FILE stays as it was and no
 * temporary file remains; a SIGTERM while writing removes the temporary
 * file.  The black-box reproducers (FIFO, symlink, modes, bad trace, map
 * names, SIGTERM in a real run) are in tests/golden/run.sh.
 */
#include "testutil.h"

#include "cli/cli.h"

#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct job {
    cli_opts *o;
    int raise_sig; /* 0: fail like a solver; else raise it half way */
} job;

static void emit_half(FILE *f, void *ctx)
{
    job *j = ctx;
    fprintf(f, "time_s,core_max_c\n0,30.0\n");
    fflush(f);
    if (j->raise_sig)
        raise(j->raise_sig);
    j->o->fail = 1; /* as emit_transient does when cp_thermal_transient fails */
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void read_file(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void make_dir(char *dir, char *file, size_t len)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, len, "%s/cposim-out.XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(file, len, "%s/out.csv", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("keep\n", f);
    fclose(f);
}

static void remove_dir(const char *dir, const char *file)
{
    unlink(file);
    assert_int_equal(entries(dir), 0); /* nothing else was left behind */
    rmdir(dir);
}

/* The old cli_output renamed the partial CSV over out.csv. */
static void test_failed_emit_keeps_file(void **state)
{
    (void)state;
    char dir[512], file[600], got[64];
    make_dir(dir, file, sizeof dir);
    cli_opts o = {0};
    o.output = file;
    job j = {&o, 0};
    assert_int_equal(cli_output(&o, emit_half, &j), 1);
    read_file(file, got, sizeof got);
    assert_string_equal(got, "keep\n");
    assert_int_equal(entries(dir), 1);
    remove_dir(dir, file);
}

/* Without -o the CSV streams to stdout; the failure is still the status. */
static void test_failed_emit_to_stdout(void **state)
{
    (void)state;
    cli_opts o = {0};
    job j = {&o, 0};
    assert_int_equal(cli_output(&o, emit_half, &j), 1);
}

/* The old cli_output left out.csv.tmp.XXXXXX behind. */
static void test_sigterm_removes_temp(void **state)
{
    (void)state;
    char dir[512], file[600], got[64];
    make_dir(dir, file, sizeof dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cli_opts o = {0};
        o.output = file;
        job j = {&o, SIGTERM};
        cli_output(&o, emit_half, &j);
        _exit(0); /* not reached: SIGTERM ends the child */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    read_file(file, got, sizeof got);
    assert_string_equal(got, "keep\n");
    assert_int_equal(entries(dir), 1);
    remove_dir(dir, file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_emit_keeps_file),
        cmocka_unit_test(test_failed_emit_to_stdout),
        cmocka_unit_test(test_sigterm_removes_temp),
    };
    return cmocka_run_group_tests_name("cli output", tests, NULL, NULL);
}
