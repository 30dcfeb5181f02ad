/*
 * cli_output.c — every file the command writes (-o, --graph, --map) goes
 * through here, so that no file is lost or left half-written:
 *   - a regular file, or a new one, is written to FILE.tmp.XXXXXX next to
 *     it, flushed, synced, given the mode it should have (an existing file
 *     keeps its mode, and its owner and group when allowed; a new one gets
 *     0666 less the umask) and renamed over FILE only when everything that
 *     goes into it succeeded;
 *   - a character device or a FIFO (/dev/null, /dev/stdout, a named pipe)
 *     is written in place: renaming over it would destroy it;
 *   - a symbolic link is followed: its target is written as above and the
 *     link stays; a link to nothing, a directory, a block device or a
 *     socket is refused;
 *   - on SIGINT, SIGTERM or SIGHUP the temporary files are removed before
 *     the signal ends the process.
 * Like a shell's `>`, an existing file that we may not write is refused.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------- cleanup on signals
 * The handler only reads these and calls unlink(), signal() and raise(),
 * all async-signal-safe.  A slot's path is complete before it is marked
 * live (release/acquire: an OpenMP thread may take the signal). */
#define MAX_TEMPS 4

static char g_tmp[MAX_TEMPS][PATH_MAX];
static atomic_int g_live[MAX_TEMPS];
static const int g_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (atomic_load_explicit(&g_live[i], memory_order_acquire))
            unlink(g_tmp[i]);
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the default action */
}

static void install_handlers(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (size_t i = 0; i < sizeof g_signals / sizeof *g_signals; i++) {
        struct sigaction old, sa;
        if (sigaction(g_signals[i], NULL, &old) || old.sa_handler == SIG_IGN)
            continue; /* started with the signal ignored (nohup, &): keep it so */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(g_signals[i], &sa, NULL);
    }
}

/* Creates the temporary file of dest and registers it, signals blocked in
 * this thread meanwhile; returns its descriptor, or -1 with errno set. */
static int make_temp(const char *dest, char *tmp, size_t len, int *slot)
{
    int n = snprintf(tmp, len, "%s.tmp.XXXXXX", dest);
    if (n < 0 || (size_t)n >= len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    *slot = -1;
    for (int i = 0; i < MAX_TEMPS && *slot < 0; i++)
        if (!atomic_load(&g_live[i]))
            *slot = i;
    if (*slot < 0) {
        errno = EMFILE;
        return -1;
    }
    install_handlers();
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof g_signals / sizeof *g_signals; i++)
        sigaddset(&block, g_signals[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        memcpy(g_tmp[*slot], tmp, strlen(tmp) + 1);
        atomic_store_explicit(&g_live[*slot], 1, memory_order_release);
    }
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return fd;
}

static void forget_temp(int slot)
{
    if (slot >= 0)
        atomic_store_explicit(&g_live[slot], 0, memory_order_release);
}

/* --------------------------------------------------------- the target */

typedef enum { DEST_NEW, DEST_REPLACE, DEST_IN_PLACE } dest_kind;

typedef struct cli_file {
    const char *shown;     /* the path as the user gave it */
    char dest[PATH_MAX];   /* the file written: the path, or its link's target */
    char tmp[PATH_MAX];
    dest_kind kind;
    struct stat st;        /* of dest, when it exists */
    int slot;              /* g_tmp slot of tmp, -1 when none */
    FILE *f;
} cli_file;

static int fail(const char *path, const char *why)
{
    fprintf(stderr, "cposim: cannot write '%s': %s\n", path, why);
    return 1;
}

/* What writing path means: which file, and replaced or written in place. */
static int resolve(cli_file *cf, const char *path)
{
    memset(cf, 0, sizeof *cf);
    cf->shown = path;
    cf->slot = -1;
    struct stat lst;
    if (!*path)
        return fail(path, "empty file name");
    if (lstat(path, &lst)) {
        if (errno != ENOENT)
            return fail(path, strerror(errno));
        cf->kind = DEST_NEW;
        snprintf(cf->dest, sizeof cf->dest, "%s", path);
        return 0;
    }
    if (S_ISLNK(lst.st_mode)) {
        if (!realpath(path, cf->dest))
            return fail(path, errno == ENOENT ? "a symbolic link to a missing file"
                                              : strerror(errno));
    } else if ((size_t)snprintf(cf->dest, sizeof cf->dest, "%s", path) >= sizeof cf->dest) {
        return fail(path, strerror(ENAMETOOLONG));
    }
    if (stat(cf->dest, &cf->st))
        return fail(path, strerror(errno));
    if (S_ISCHR(cf->st.st_mode) || S_ISFIFO(cf->st.st_mode)) {
        cf->kind = DEST_IN_PLACE;
        return 0;
    }
    if (S_ISDIR(cf->st.st_mode))
        return fail(path, "it is a directory");
    if (!S_ISREG(cf->st.st_mode))
        return fail(path, "not a regular file, character device or FIFO");
    if (access(cf->dest, W_OK))
        return fail(path, strerror(errno));
    cf->kind = DEST_REPLACE;
    return 0;
}

/* The directory a new or replaced file goes into must be writable. */
static int dir_writable(const cli_file *cf)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", cf->dest);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct stat st;
    if (stat(dir, &st))
        return fail(cf->shown, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail(cf->shown, strerror(ENOTDIR));
    if (access(dir, W_OK | X_OK))
        return fail(cf->shown, strerror(errno));
    return 0;
}

int cli_output_check(const char *path)
{
    cli_file cf;
    if (!path)
        return 0;
    if (resolve(&cf, path))
        return 1;
    return cf.kind == DEST_IN_PLACE ? 0 : dir_writable(&cf);
}

static int open_file(cli_file *cf, const char *path)
{
    if (resolve(cf, path))
        return 1;
    int fd;
    if (cf->kind == DEST_IN_PLACE) {
        fd = open(cf->dest, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    } else {
        fd = make_temp(cf->dest, cf->tmp, sizeof cf->tmp, &cf->slot);
        if (fd < 0 && errno == ENOENT)
            return fail(path, "no such directory");
    }
    if (fd < 0)
        return fail(path, strerror(errno));
    cf->f = fdopen(fd, "w");
    if (!cf->f) {
        int e = errno;
        close(fd);
        if (cf->slot >= 0) {
            unlink(cf->tmp);
            forget_temp(cf->slot);
        }
        return fail(path, strerror(e));
    }
    return 0;
}

static void discard(cli_file *cf)
{
    if (cf->f)
        fclose(cf->f);
    cf->f = NULL;
    if (cf->slot >= 0) {
        unlink(cf->tmp);
        forget_temp(cf->slot);
        cf->slot = -1;
    }
}

static mode_t new_file_mode(void)
{
    mode_t mask = umask(0); /* read it: umask has no getter */
    umask(mask);
    return 0666 & ~mask;
}

/* The mode (and owner) the file should have, flush, sync, then rename. */
static int commit(cli_file *cf)
{
    int fd = fileno(cf->f), e = 0;
    errno = 0;
    if (fflush(cf->f))
        e = errno ? errno : EIO;
    else if (ferror(cf->f))
        e = EIO; /* an earlier write failed */
    if (!e && cf->kind != DEST_IN_PLACE) {
        mode_t mode = cf->kind == DEST_REPLACE ? cf->st.st_mode & 07777 : new_file_mode();
        if (cf->kind == DEST_REPLACE && fchown(fd, cf->st.st_uid, cf->st.st_gid)) {
            /* not allowed (another user's file): it becomes ours, like an editor's save */
        }
        if (fchmod(fd, mode) || fsync(fd))
            e = errno;
    }
    FILE *f = cf->f;
    cf->f = NULL;
    if (fclose(f) && !e)
        e = errno;
    if (!e && cf->kind != DEST_IN_PLACE && rename(cf->tmp, cf->dest))
        e = errno;
    if (e) {
        discard(cf);
        return fail(cf->shown, strerror(e));
    }
    forget_temp(cf->slot);
    cf->slot = -1;
    return 0;
}

int cli_output_to(const char *path, const int *fail_status,
                  void (*emit)(FILE *f, void *ctx), void *ctx)
{
    if (!path) {
        emit(stdout, ctx);
        int bad = fflush(stdout) ? 1 : 0;
        return fail_status && *fail_status ? *fail_status : bad;
    }
    cli_file cf;
    if (open_file(&cf, path))
        return 1;
    emit(cf.f, ctx);
    if (fail_status && *fail_status) { /* what goes into it failed: keep the old file */
        discard(&cf);
        return *fail_status;
    }
    return commit(&cf);
}

int cli_output(const cli_opts *o, void (*emit)(FILE *f, void *ctx), void *ctx)
{
    return cli_output_to(o->output, &o->fail, emit, ctx);
}

typedef struct bytes {
    const char *data;
    size_t len;
} bytes;

static void emit_bytes(FILE *f, void *ctx)
{
    const bytes *b = ctx;
    fwrite(b->data, 1, b->len, f);
}

int cli_write_bytes(const char *path, const char *data, size_t len)
{
    bytes b = {data, len};
    return cli_output_to(path, NULL, emit_bytes, &b);
}
