#!/usr/bin/env python3
"""Write tests/hostile/README.md: its text, then a table of what each case does, made
from catalogue.json and expected/ (run from the repository root after KDIAG_BLESS)."""
import json

HEAD = """# Hostile and broken inputs

`catalogue.json` lists inputs people really feed kdiag (truncated, wrongly encoded, edited
by hand) and inputs an attacker would, each with the outcome every front end must give:
`exit` (the CLI's status with the default `--fail-on error`; 2 = nothing could be read),
the `error` or the `first` finding, `objects` read, `warnings` (substrings of
`location: message`), and `never` (text no output may contain; `CANARY`, the marker of
every secret in the inputs, is implied for all). `expected/<name>.json` holds each case's
whole outcome: the report as `kdiag --output json` prints it, or `{"error": {location,
message}}`.

- Inputs: small ones are files in `inputs/`, written by `make-inputs.py` (run it again
  after changing it); large ones are generated from the case (`"generate"`: `head`, then
  `repeat` `times` times, then `tail`).
- Tests: `core/tests/hostile.rs` checks every statement of the catalogue and compares with
  `expected/` (`KDIAG_BLESS=1 cargo test -p kdiag --test hostile` rewrites it: read the
  diff). `cli/tests/hostile.rs` (stdin; also text and Markdown: no secret, no control
  character), `web-demo/tests/hostile.test.mjs` (the wasm module under node) and
  `bindings-python/tests/test_hostile.py` (bytes and str) must give `expected/` exactly.
- A crash found by fuzzing (`scripts/fuzz.sh`) becomes a case here once it is fixed.
- The table below is made from `expected/` by `python3 tests/hostile/make-readme.py`.

## What each input does

| case | what it is | outcome |
|---|---|---|
"""


def code(s):
    """A Markdown code span that survives backticks inside."""
    return "`` %s ``" % s if "`" in s else "`%s`" % s


import json
cat=json.load(open('tests/hostile/catalogue.json'))['cases']
rows=[]
bar="\\|"
for c in cat:
    r=json.load(open(f"tests/hostile/expected/{c['name']}.json"))
    if 'error' in r:
        out="exit 2: " + code("%s: %s" % (r['error']['location'], r['error']['message']))
    else:
        ids=[f['id'] for f in r['findings']]
        objs=", ".join(f"{n} {k}" for k,n in r['summary']['objects'].items())
        ws=r['input_warnings']
        out=f"exit {c['exit']}: {objs or 'nothing'} read"
        out+= ("; " + ", ".join(dict.fromkeys(ids))) if ids else "; no finding"
        if ws:
            w=ws[0]; msg=w['message']
            if len(msg)>110: msg=msg[:110]+"…"
            out+="; %d warning(s), first %s" % (len(ws), code("%s: %s" % (w['location'], msg)))
    rows.append("| `%s` | %s | %s |" % (c['name'], c['why'].replace('|',bar), out.replace('|',bar)))
open('tests/hostile/README.md','w').write(HEAD+"\n".join(rows)+"\n")
