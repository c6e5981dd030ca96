#!/usr/bin/env python3
"""Fills in the expected `status` and `stdout` of every case in *.txt by
running GNU diff 3.8 (/usr/bin/diff) on the case's files, in a scratch
directory, with LC_ALL=C and TZ=UTC and every file dated
2024-01-15 12:00:00 UTC. Run it after adding or changing a case, then
review the recorded output (git diff) before committing.

Case format (see all/cases.rs, which reads it):

    === name                  starts a case
    $ diff ARGS               the command ('single quotes' group words)
    file PATH [!]             a file (PATH is the rest of the line, spaces
                              included); its lines follow as '| text' ('|'
                              alone: an empty line); '!' = no final newline
    hexfile PATH HEX          a file given as hexadecimal bytes
    dir PATH                  an empty directory (PATH as for files)
    symlink PATH TARGET       a symbolic link
    stdin [!]                 standard input, lines as for files
    status N                  expected exit status (recorded)
    stdout [!]                expected standard output (recorded)
"""
import os, shlex, subprocess, sys, tempfile, glob

MTIME = 1705320000

def parse(path):
    cases, cur, block = [], None, None
    header = []
    for raw in open(path, encoding='utf-8', errors='surrogateescape', newline='').read().split('\n'):
        if raw.startswith('| ') or raw == '|':
            block['lines'].append(raw[2:])
            continue
        block = None
        if raw.startswith('=== '):
            cur = {'name': raw[4:], 'items': []}
            cases.append(cur)
        elif raw.strip() == '' or raw.startswith('#'):
            if cur is None:
                header.append(raw)
                continue
            cur['items'].append(('text', raw))
        else:
            words = raw.split(' ')
            block = {'head': raw, 'kind': words[0], 'lines': []}
            cur['items'].append(('block', block))
    while header and header[-1].strip() == '':
        header.pop()
    return header, cases

def content(block):
    text = '\n'.join(block['lines'])
    if block['lines'] and not block['head'].endswith(' !'):
        text += '\n'
    return text.encode('utf-8', errors='surrogateescape')

def run(case):
    d = tempfile.mkdtemp(prefix='wa-diff-record-')
    stdin, argv = b'', None
    for kind, b in case['items']:
        if kind != 'block':
            continue
        words = b['head'].split(' ')
        if b['kind'] == '$':
            argv = shlex.split(b['head'][2:])
        elif b['kind'] == 'file':
            rest = b['head'][len('file '):]
            p = os.path.join(d, rest[:-2] if rest.endswith(' !') else rest)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, 'wb').write(content(b))
            os.utime(p, (MTIME, MTIME))
        elif b['kind'] == 'hexfile':
            p = os.path.join(d, words[1])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, 'wb').write(bytes.fromhex(words[2]))
            os.utime(p, (MTIME, MTIME))
        elif b['kind'] == 'dir':
            os.makedirs(os.path.join(d, b['head'][len('dir '):]), exist_ok=True)
        elif b['kind'] == 'symlink':
            p = os.path.join(d, words[1])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            os.symlink(words[2], p)
        elif b['kind'] == 'stdin':
            stdin = content(b)
    for root, dirs, _ in os.walk(d):
        for x in dirs:
            os.utime(os.path.join(root, x), (MTIME, MTIME))
    assert argv and argv[0] == 'diff', case['name']
    r = subprocess.run(['/usr/bin/diff'] + argv[1:], cwd=d, input=stdin, capture_output=True,
                       env={'LC_ALL': 'C', 'TZ': 'UTC', 'PATH': '/usr/bin:/bin'})
    subprocess.run(['rm', '-rf', d])
    return r.returncode, r.stdout

def write(path, parsed):
    header, cases = parsed
    out = header + [''] if header else []
    for case in cases:
        out.append('=== ' + case['name'])
        status, stdout = run(case)
        items = [(k, b) for k, b in case['items'] if not (k == 'block' and b['kind'] in ('status', 'stdout'))]
        while items and items[-1][0] == 'text' and items[-1][1].strip() == '':
            items.pop()
        for kind, b in items:
            if kind == 'text':
                out.append(b)
            else:
                out.append(b['head'])
                out.extend(('| ' + l) if l else '|' for l in b['lines'])
        out.append('status %d' % status)
        text = stdout.decode('utf-8', errors='surrogateescape')
        lines = text.split('\n')
        if text.endswith('\n'):
            lines.pop()
            out.append('stdout')
        else:
            out.append('stdout !' if text else 'stdout')
        if text:
            out.extend(('| ' + l) if l else '|' for l in lines)
        out.append('')
    open(path, 'w', encoding='utf-8', errors='surrogateescape', newline='').write('\n'.join(out))

for path in sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__), '*.txt'))):
    write(path, parse(path))
