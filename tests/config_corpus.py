#!/usr/bin/env python3
"""Config corpus test: runs `pantau --check` over tests/config/bad/*.yaml and
tests/config/good/*.yaml.

usage: config_corpus.py PANTAU_BINARY CONFIG_DIR

Bad files start with comment lines

    # expect: LINE:COL: PATH: MESSAGE

one per error, in the order pantau reports them, without the file name.
For each bad file `pantau --check FILE` must exit 2 and its stderr, less the
final "N errors" line (present exactly when there are several errors), must
be exactly the expected lines, each prefixed with "FILE:".

Good files start with a "# good: ..." line. For each, `--check` must print
"ok" and exit 0, `--print-config` must exit 0, the printed config must load
again and print identically (round trip), and the test secrets must appear in
no output.

Every run gets a clean environment holding only PANTAU_TEST_PASS and
PANTAU_TEST_TOKEN. Exit status 0 when everything passes, 1 otherwise.
Python 3 standard library only.
"""
import os
import re
import subprocess
import sys
import tempfile

SECRETS = {
    "PANTAU_TEST_PASS": "s3cr3t-pass",
    "PANTAU_TEST_TOKEN": "t0ken-abc123",
}
EXPECT_RE = re.compile(r"^#\s*expect:\s?(.*)$")
SUMMARY_RE = re.compile(r"^\d+ errors$")
TIMEOUT_S = 30


def run(binary, *args):
    """Runs pantau with a clean environment; returns (rc, stdout, stderr)."""
    try:
        r = subprocess.run([binary, *args], capture_output=True, env=dict(SECRETS),
                           timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, "", f"(timed out after {TIMEOUT_S} s)"
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def describe_rc(rc):
    if rc is None:
        return "timeout"
    if rc < 0:
        return f"killed by signal {-rc} (crash?)"
    return str(rc)


def leaked(*texts):
    """Names of the secret values found in any of texts."""
    return [v for v in SECRETS.values() if any(v in t for t in texts)]


class Report:
    def __init__(self):
        self.failures = 0

    def fail(self, path, what, expected=None, got=None):
        self.failures += 1
        print(f"FAIL {path}: {what}")
        if expected is not None:
            print("  expected:")
            for line in expected or ["(nothing)"]:
                print(f"    {line}")
        if got is not None:
            print("  got:")
            for line in got or ["(nothing)"]:
                print(f"    {line}")


def expected_lines(path):
    expect = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = EXPECT_RE.match(line.rstrip("\n"))
            if m:
                expect.append(m.group(1))
            elif not line.startswith("#"):
                break  # expectations come first, before any YAML
    return expect


def check_bad(binary, path, expect, rep):
    rc, out, err = run(binary, "--check", path)
    got = err.splitlines()
    want = [f"{path}:{e}" for e in expect]
    if len(want) > 1:
        want.append(f"{len(want)} errors")
    ok = True
    if rc != 2:
        rep.fail(path, f"exit status {describe_rc(rc)}, expected 2", want, got)
        return
    if got != want:
        # Report the message part without the summary line, as the brief
        # says, unless only the summary differs.
        strip = lambda ls: ls[:-1] if len(ls) > 1 and SUMMARY_RE.match(ls[-1]) else ls
        if strip(got) != strip(want):
            rep.fail(path, "stderr differs", strip(want), strip(got))
        else:
            rep.fail(path, "final \"N errors\" line differs", want, got)
        ok = False
    if ok and out:
        rep.fail(path, "stdout should be empty when the check fails", [], out.splitlines())
        ok = False
    if ok and leaked(out, err):
        rep.fail(path, f"secret value(s) {leaked(out, err)} appear in the output")


def check_good(binary, path, rep):
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    if not first.startswith("# good:"):
        rep.fail(path, "first line must be a \"# good: <what it shows>\" comment")
        return
    outputs = []
    rc, out, err = run(binary, "--check", path)
    outputs += [out, err]
    if rc != 0 or out != "ok\n":
        rep.fail(path, f"--check: exit status {describe_rc(rc)}, expected 0 and \"ok\"",
                 ["ok"], (out + err).splitlines())
        return
    rc, printed, err = run(binary, "--print-config", path)
    outputs += [printed, err]
    if rc != 0:
        rep.fail(path, f"--print-config: exit status {describe_rc(rc)}, expected 0",
                 None, err.splitlines())
        return
    fd, tmp = tempfile.mkstemp(prefix="pantau-roundtrip-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(printed)
        rc, again, err = run(binary, "--print-config", tmp)
        outputs += [again, err]
        if rc != 0:
            rep.fail(path, f"round trip: the --print-config output does not load again "
                     f"(exit status {describe_rc(rc)})", None,
                     [l.replace(tmp, "<printed config>") for l in err.splitlines()])
        elif again != printed:
            rep.fail(path, "round trip: --print-config of the printed config differs",
                     printed.splitlines(), again.splitlines())
    finally:
        os.unlink(tmp)
    found = leaked(*outputs)
    if found:
        rep.fail(path, f"secret value(s) {found} appear in the output of --check/--print-config")


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} PANTAU_BINARY CONFIG_DIR", file=sys.stderr)
        return 2
    binary, root = argv[1], argv[2]
    if not os.access(binary, os.X_OK):
        print(f"{argv[0]}: {binary} is not an executable", file=sys.stderr)
        return 2
    rep = Report()
    bad_dir, good_dir = os.path.join(root, "bad"), os.path.join(root, "good")
    bad = sorted(f for f in os.listdir(bad_dir) if f.endswith(".yaml"))
    good = sorted(f for f in os.listdir(good_dir) if f.endswith(".yaml"))

    for name in bad:
        path = os.path.join(bad_dir, name)
        expect = expected_lines(path)
        if not expect:
            rep.fail(path, "no \"# expect: LINE:COL: ...\" lines at the top of the file")
            continue
        check_bad(binary, path, expect, rep)

    # A truly empty file cannot hold expect comments, so it is made here.
    fd, empty = tempfile.mkstemp(prefix="pantau-empty-", suffix=".yaml")
    os.close(fd)
    try:
        check_bad(binary, empty, ['1:1: the file is empty; start it with "version: 1"'], rep)
    finally:
        os.unlink(empty)

    for name in good:
        check_good(binary, os.path.join(good_dir, name), rep)

    print(f"config corpus: {len(bad) + 1} bad, {len(good)} good, {rep.failures} failures")
    return 0 if rep.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
