/* SPDX-License-Identifier: ISC */
/*
 * timecmd: one run of a command, timed from fork to wait4 by a process
 * that does nothing else.  bench.py used to take the time in Python
 * around GNU time, which put about 1 ms of starting Python's child and
 * GNU time itself into every figure: a third of a 1 MiB compose.
 *
 * usage: timecmd OUT ERR CMD [ARG...]
 * CMD runs with standard input /dev/null, standard output OUT and standard
 * error ERR (both created or truncated).  Prints "SECONDS MAXRSS_KIB" and
 * exits with CMD's status (128 + the signal when killed); 127 when CMD
 * cannot run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static int
open_out(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd == -1) {
		fprintf(stderr, "timecmd: %s: %s\n", path, strerror(errno));
		exit(127);
	}
	return fd;
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int in, out, err, status;

	if (argc < 4) {
		fprintf(stderr, "usage: timecmd OUT ERR CMD [ARG...]\n");
		return 127;
	}
	if ((in = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "timecmd: /dev/null: %s\n", strerror(errno));
		return 127;
	}
	out = open_out(argv[1]);
	err = open_out(argv[2]);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "timecmd: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		if (dup2(in, 0) == -1 || dup2(out, 1) == -1 ||
		    dup2(err, 2) == -1)
			_exit(127);
		execvp(argv[3], argv + 3);
		dprintf(2, "timecmd: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "timecmd: wait4: %s\n",
			    strerror(errno));
			return 127;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.9f %ld\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
