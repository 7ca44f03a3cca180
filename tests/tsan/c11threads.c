/* c11threads.c: linked into the programs only by make tsan.  glibc's C11
 * threads (thrd_create, mtx_lock, cnd_wait ...) call its pthread code
 * directly, past ThreadSanitizer's hooks on pthread_create and
 * pthread_mutex_lock: a thread then starts unknown to the sanitizer
 * (a crash) and no lock is seen (every shared buffer a race).  These
 * definitions, found in libcpl.a before libc, take the same calls through
 * the pthread functions the sanitizer watches. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

_Static_assert(sizeof(mtx_t) == sizeof(pthread_mutex_t), "mtx_t is a pthread mutex");
_Static_assert(sizeof(cnd_t) == sizeof(pthread_cond_t), "cnd_t is a pthread condition");
_Static_assert(sizeof(thrd_t) == sizeof(pthread_t), "thrd_t is a pthread");

struct start { thrd_start_t fn; void *arg; };

static void *begin(void *p)
{
	struct start s = *(struct start *)p;
	free(p);
	return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	struct start *s = malloc(sizeof *s);
	if (!s)
		return thrd_nomem;
	*s = (struct start){fn, arg};
	if (pthread_create(t, NULL, begin, s) == 0)
		return thrd_success;
	free(s);
	return thrd_error;
}

int thrd_join(thrd_t t, int *res)
{
	void *r;
	if (pthread_join(t, &r))
		return thrd_error;
	if (res)
		*res = (int)(intptr_t)r;
	return thrd_success;
}

_Noreturn void thrd_exit(int res) { pthread_exit((void *)(intptr_t)res); }

static int ok(int rc) { return rc ? thrd_error : thrd_success; }

int mtx_init(mtx_t *m, int type) { (void)type; return ok(pthread_mutex_init((pthread_mutex_t *)m, NULL)); }
int mtx_lock(mtx_t *m) { return ok(pthread_mutex_lock((pthread_mutex_t *)m)); }
int mtx_unlock(mtx_t *m) { return ok(pthread_mutex_unlock((pthread_mutex_t *)m)); }
void mtx_destroy(mtx_t *m) { pthread_mutex_destroy((pthread_mutex_t *)m); }
int cnd_init(cnd_t *c) { return ok(pthread_cond_init((pthread_cond_t *)c, NULL)); }
int cnd_wait(cnd_t *c, mtx_t *m) { return ok(pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m)); }
int cnd_broadcast(cnd_t *c) { return ok(pthread_cond_broadcast((pthread_cond_t *)c)); }
int cnd_signal(cnd_t *c) { return ok(pthread_cond_signal((pthread_cond_t *)c)); }
void cnd_destroy(cnd_t *c) { pthread_cond_destroy((pthread_cond_t *)c); }
