// The pod sandbox process of the local node (scripts/build-images makes it the entrypoint of the
// pause image; containerd's sandbox_image names that image): it holds the pod's namespaces open
// and does nothing else. As PID 1 of a pod that shares its process namespace it also reaps the
// zombies its adopted children leave. SIGTERM or SIGINT ends it at once (exit 0); no other signal
// can, since the kernel drops any signal PID 1 has no handler for.
// Built with `gcc -static -O2`, so the image holds this one file.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signo) {
  (void)signo;
  _exit(0);
}

// Collects every child that has ended; SIGCHLD does not queue, so one signal may stand for many.
static void reap(int signo) {
  (void)signo;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static void on(int signo, void (*handler)(int)) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = signo == SIGCHLD ? SA_NOCLDSTOP | SA_RESTART : 0;
  if (sigaction(signo, &action, NULL) != 0) {
    perror("pause: sigaction");
    exit(1);
  }
}

int main(void) {
  on(SIGTERM, stop);
  on(SIGINT, stop);
  on(SIGCHLD, reap);
  for (;;) pause();
}
