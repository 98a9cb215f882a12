/* bench_pty.c - the pseudo-terminal driver of "make bench"'s start to the
 * first screen: starts a program in a new 80x24 pseudo-terminal and prints
 * the milliseconds from its fork to the last byte of its first screen (the
 * output once it has been quiet for 250 ms) and that screen's bytes.  A
 * small C process forks in well under a millisecond, where Python's fork
 * of itself took about 3 ms that varied as much as the programs measured;
 * both programs are started by it the same way.  It prints figures; it
 * never passes or fails on them.
 *
 *   bench_pty TERM PROGRAM [ARG...]   prints "MS BYTES" */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE 1 /* TIOCSCTTY */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 250
#define LIMIT_MS 10000

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* the child: a session of its own on the terminal's other end */
static void child(const char *slave, char **argv)
{
	int fd;

	setsid();
	fd = open(slave, O_RDWR);
	if (fd < 0)
		_exit(126);
	ioctl(fd, TIOCSCTTY, 0);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	execvp(argv[0], argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char buf[65536], *slave;
	double t0, last = 0;
	long bytes = 0;
	int master;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_pty TERM PROGRAM [ARG...]\n");
		return 2;
	}
	setenv("TERM", argv[1], 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
	    !(slave = ptsname(master))) {
		perror("bench_pty: a pseudo-terminal");
		return 1;
	}
	ioctl(master, TIOCSWINSZ, &ws);
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("bench_pty: fork");
		return 1;
	}
	if (pid == 0)
		child(slave, argv + 2);
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		int n = poll(&p, 1, QUIET_MS);
		ssize_t got;

		if (n == 0 && bytes > 0)
			break;
		if (n == 0 && now_ms() - t0 > LIMIT_MS)
			break;
		if (n <= 0)
			continue;
		got = read(master, buf, sizeof(buf));
		if (got <= 0)
			break;
		last = now_ms();
		bytes += got;
	}
	kill(pid, SIGTERM);
	for (;;) {   /* its last words, so that it is not stopped writing */
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, 200) <= 0 || read(master, buf, sizeof(buf)) <= 0)
			break;
	}
	waitpid(pid, NULL, 0);
	close(master);
	if (bytes == 0) {
		fprintf(stderr, "bench_pty: %s wrote nothing\n", argv[2]);
		return 1;
	}
	printf("%.3f %ld\n", last - t0, bytes);
	return 0;
}
