"""Explorer launch to first frame (or to any other marker): runs a command on a fresh pseudo-terminal, prints the seconds from
fork to the first appearance of `marker` in its output (the deterministic figures: "best:" ends the overview in both the old and the new explorer), then quits it.
Usage: python3 bench/first-frame.py <marker> <cmd...>"""
import fcntl, os, pty, select, signal, struct, sys, termios, time

marker = sys.argv[1].encode()
cmd = sys.argv[2:]
env = {k: v for k, v in os.environ.items() if k not in ('CI', 'NO_COLOR')}
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
out, seen = b'', None
while time.perf_counter() - start < 30:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        if marker in out:
            seen = time.perf_counter() - start
            break
try:
    os.write(fd, b'q')
    time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
except OSError:
    pass
os.waitpid(pid, 0)
print('nan' if seen is None else f'{seen:.4f}')
