"""Runs a command with a pseudo-terminal as its controlling terminal and
its stdout redirected to a file, answering each MFA prompt it writes on
the terminal with a code.

usage: pty_mfa.py OUTPUT_FILE CODE COMMAND [ARGS...]

Prints what the command wrote on the terminal (the prompts, and the code
the terminal echoes), then exits with the command's exit code.
"""
import os
import pty
import sys
import time


def main():
    out_path, code, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.execvp(argv[0], argv)
    seen = b""
    answered = 0
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if seen.count(b"MFA code for") > answered:
            answered += 1
            os.write(fd, code.encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
