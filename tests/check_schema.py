#!/usr/bin/python3
"""The JSON Schema from `patchbay schema`, checked with a JSON Schema validator.

usage: check_schema.py PATCHBAY SOURCE_DIR GOOD_PLUGIN

The schema must be a valid draft-07 schema, accept every shipped config (configs/*.yaml),
and reject the broken models below, each of which `patchbay validate` rejects too. With
--plugin, the plugin's types join the schema. Needs python3-jsonschema and python3-yaml.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as e:
    sys.exit(f"check_schema.py: {e}: install python3-jsonschema and python3-yaml (make deps)")

patchbay, source_dir, good_plugin = sys.argv[1:4]

GOOD_MODEL = """
patchbay:
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 3}}
    - {type: good.Gain, name: gain, args: {gain: 1.5}}
    - {type: good.Label, name: label, args: {prefix: "v="}}
    - {type: builtin.Printer, name: show}
  connectors:
    - {source: src.x, target: gain.x}
    - {source: gain.y, target: label.x}
    - {source: label.text, target: show.x}
"""

# name -> a model that both the schema and `patchbay validate` reject.
BROKEN = {
    "an unknown argument": "- {type: builtin.Scale, name: s, args: {factr: 2}}",
    "an argument of the wrong type": "- {type: builtin.Iterator, name: s, args: {iters: ten}}",
    "a list item of the wrong type": "- {type: builtin.Printer, name: s, args: {inputs: [1, 2]}}",
    "a missing required argument": "- {type: builtin.Checksum, name: s}",
    "an unknown component type": "- {type: builtin.Iteratr, name: s}",
    "an unknown component key": "- {type: builtin.Iterator, name: s, nmae: t}",
    "a component without a name": "- {type: builtin.Iterator}",
}
BROKEN_TOP = {
    "an unknown top-level key": "patchbay:\n  component: []\n",
    "a bad process argument": "patchbay:\n  process: {type: local, args: {threads: 0}}\n  components: []\n",
    "an unknown channel type": "patchbay:\n  connector_builder: {type: carrier-pigeon}\n  components:\n"
    "    - {type: builtin.Iterator, name: a}\n    - {type: builtin.Passthrough, name: b}\n"
    "  connectors:\n    - {source: a.x, target: b.x}\n",
}


def schema(*args):
    out = subprocess.run([patchbay, "schema", *args], check=True, capture_output=True, text=True).stdout
    s = json.loads(out)
    jsonschema.Draft7Validator.check_schema(s)
    return jsonschema.Draft7Validator(s)


def errors(validator, text):
    return [e.message for e in validator.iter_errors(yaml.safe_load(text))]


failures = []
builtin = schema()
with_plugin = schema("--plugin", good_plugin)

configs = sorted(glob.glob(os.path.join(source_dir, "configs", "*.yaml")))
if not configs:
    failures.append("no configs/*.yaml found")
for path in configs:
    with open(path) as f:
        problems = errors(builtin, f.read())
    if problems:
        failures.append(f"{path}: rejected by the schema: {problems}")
    else:
        print(f"ok: {os.path.relpath(path, source_dir)} is valid")

if problems := errors(with_plugin, GOOD_MODEL):
    failures.append(f"a model with the plugin's types, rejected by the schema with the plugin: {problems}")
if not errors(builtin, GOOD_MODEL):
    failures.append("a model with the plugin's types is accepted by the schema without the plugin")

cases = {k: "patchbay:\n  components:\n    " + v + "\n" for k, v in BROKEN.items()}
cases.update(BROKEN_TOP)
with tempfile.TemporaryDirectory() as tmp:
    for what, text in cases.items():
        problems = errors(builtin, text)
        path = os.path.join(tmp, "model.yaml")
        with open(path, "w") as f:
            f.write(text)
        validate = subprocess.run([patchbay, "validate", path], capture_output=True, text=True)
        if not problems:
            failures.append(f"{what}: accepted by the schema\n{text}")
        elif validate.returncode != 2:
            failures.append(f"{what}: rejected by the schema but `patchbay validate` exits {validate.returncode}")
        else:
            print(f"ok: {what} is rejected ({problems[0]})")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
