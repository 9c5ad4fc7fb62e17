"""Runs a command on a fresh pseudo-terminal (its own session), types keys once the screen shows
`wait_for`, and exits with the command's exit code after printing what it drew. Used by
test/tui.test.tsx to check the real program in a terminal without depending on the caller's tty.

  pty-run.py [--early KEYS] [--size COLSxROWS] [--resize COLSxROWS] KEYS WAIT_FOR CMD...

--early types KEYS during start-up: as soon as the program has switched the terminal's echo off,
before its first frame; stderr then says how many bytes had been drawn when they were typed.
--resize changes the terminal's size (the program gets SIGWINCH) once the screen shows `wait_for`, and
types KEYS once the program has drawn something after it."""
import fcntl, os, pty, select, struct, sys, termios, time

args = sys.argv[1:]
early, cols, rows, resize = None, 80, 24, None
while args and args[0].startswith('--'):
    if args[0] == '--early':
        early = args[1].encode().decode('unicode_escape').encode('latin-1')
    elif args[0] == '--size':
        cols, rows = (int(x) for x in args[1].split('x'))
    elif args[0] == '--resize':
        resize = tuple(int(x) for x in args[1].split('x'))
    args = args[2:]
keys = args[0].encode().decode('unicode_escape').encode('latin-1')
wait_for = args[1].encode()
cmd = args[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, os.environ)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
out, sent, early_sent, start, resized_at = b'', False, early is None, time.time(), -1
while time.time() - start < 40:
    if not early_sent:
        try:
            echo = termios.tcgetattr(fd)[3] & termios.ECHO
        except termios.error:
            echo = True
        if not echo:
            sys.stderr.write('early keys typed after %d bytes of output\n' % len(out))
            os.write(fd, early)
            early_sent = True
    ready, _, _ = select.select([fd], [], [], 0.005 if not early_sent else 0.1)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    if resize and early_sent and wait_for in out:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', resize[1], resize[0], 0, 0))
        resize, resized_at = None, len(out)
    if not sent and early_sent and wait_for in out and resize is None and len(out) > resized_at:
        time.sleep(0.5)
        os.write(fd, keys)
        sent = True
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
