"""Runs a command on a fresh pseudo-terminal (its own session), types keys once the screen shows
`wait_for`, and exits with the command's exit code after printing what it drew. Used by
test/tui.test.tsx to check the real program in a terminal without depending on the caller's tty."""
import fcntl, os, pty, select, struct, sys, termios, time

keys = sys.argv[1].encode().decode('unicode_escape').encode('latin-1')
wait_for = sys.argv[2].encode()
cmd = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, os.environ)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
out, sent, start = b'', False, time.time()
while time.time() - start < 25:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    if not sent and wait_for in out:
        time.sleep(0.5)
        os.write(fd, keys)
        sent = True
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
