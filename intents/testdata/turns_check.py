#!/usr/bin/env python3
"""Checks and counts the labelled turns in context.

  python3 turns_check.py FILE... [--min=N]  validate the files, print counts, check >= N positives per (lang, act)
  python3 turns_check.py                    the same for intents/turns/*.jsonl and turns_heldout4.jsonl
"""
import json, sys, os, collections

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [a for a in sys.argv[1:] if not a.startswith("--")] or sorted(
    __import__("glob").glob(os.path.join(HERE, "..", "turns", "*.jsonl"))) + [os.path.join(HERE, "turns_heldout4.jsonl")]
KEYS = ["lang", "state", "text", "acts", "choice", "serial", "language", "intent"]
LANGS = ["en", "es", "pt"]
STATES = {  # state -> number of buttons
    "idle": 0, "main_menu": 2, "ask_serial": 0, "confirm_update": 2, "updating": 0,
    "update_failed": 3, "offer_agent": 2, "offer_wait": 2, "intake": 1,
    "anything_else": 0, "in_line": 0,
}
ACTS = ["affirm", "deny", "acknowledge", "thanks", "goodbye", "cancel", "change_of_mind",
        "ask_person", "skip", "connection_complaint", "outage_area", "wrong_router",
        "where_serial", "language_request", "greeting", "retry", "polite", "frustration",
        "status_question"]
INTENTS = ["", "update_router", "update_status", "human_agent", "cancel", "greeting", "thanks",
           "help", "oos", "billing", "outage", "plans", "wifi", "cancel_service", "technician",
           "moving"]


def check_line(o):
    errs = []
    if not isinstance(o, dict) or list(o.keys()) != KEYS:
        return ["keys are %r, want %r" % (list(o.keys()) if isinstance(o, dict) else o, KEYS)]
    if o["lang"] not in LANGS: errs.append("lang %r" % o["lang"])
    if o["state"] not in STATES: errs.append("state %r" % o["state"])
    if not isinstance(o["text"], str) or not o["text"].strip(): errs.append("empty text")
    if not isinstance(o["acts"], list) or any(a not in ACTS for a in o["acts"]):
        errs.append("acts %r" % o["acts"])
    elif len(set(o["acts"])) != len(o["acts"]): errs.append("duplicate acts")
    c = o["choice"]
    if not isinstance(c, int) or isinstance(c, bool) or c < 0 or c > STATES.get(o["state"], 0):
        errs.append("choice %r out of range for %s" % (c, o["state"]))
    s = o["serial"]
    if not isinstance(s, str) or s != s.upper() or " " in s: errs.append("serial %r" % s)
    if o["language"] not in ("", "en", "es", "pt"): errs.append("language %r" % o["language"])
    if ("language_request" in o["acts"]) != (o["language"] != ""):
        errs.append("language set iff language_request")
    if o["intent"] not in INTENTS: errs.append("intent %r" % o["intent"])
    return errs


def load(name):
    rows, bad = [], 0
    with open(name, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except ValueError as e:
                print("%s:%d: not JSON: %s" % (name, n, e)); bad += 1; continue
            for e in check_line(o):
                print("%s:%d: %s" % (name, n, e)); bad += 1
            rows.append(o)
    return rows, bad


def main():
    md = "--markdown" in sys.argv
    data, bad = {}, 0
    for name in FILES:
        data[name], b = load(name); bad += b
    seen = collections.Counter()
    files_of = collections.defaultdict(set)
    for name in FILES:
        inner = collections.Counter()
        for o in data[name]:
            k = (o["lang"], o["state"], o["text"].lower())
            inner[k] += 1
            seen[k] += 1
            files_of[k].add(os.path.basename(name))
        for k, v in inner.items():
            if v > 1:
                print("%s: duplicate (lang, state, text): %r" % (name, k)); bad += 1
    across = sum(1 for k, fs in files_of.items() if len(fs) > 1)
    if across:
        print("note: %d (lang, state, text) in more than one file (common texts such as \"ok\"; the reader trains on each once)" % across)
    if len(FILES) > 1:
        held = [k for k, fs in files_of.items() if "turns_heldout4.jsonl" in fs and len(fs) > 1]
        if held:
            print("note: %d of turns_heldout4.jsonl's (lang, state, text) are also in a training file" % len(held))
    # the same text in two languages is noted: a slip of the language key, or a word both share ("cancelar")
    xl = collections.defaultdict(set)
    for (l, st, t) in seen:
        xl[(st, t)].add(l)
    for (st, t), ls in sorted(xl.items()):
        if len(ls) > 1 and any(ch.isalpha() for ch in t):
            print("note: same text in %s: %r at %s (fine for a word both languages share)" % (sorted(ls), t, st))
    counts = {name: collections.Counter() for name in FILES}
    lines = {name: collections.Counter() for name in FILES}
    for name in FILES:
        for o in data[name]:
            lines[name][o["lang"]] += 1
            for a in o["acts"] or ["(none)"]:
                counts[name][(o["lang"], a)] += 1
    for name in FILES:
        tot = sum(lines[name].values())
        if md:
            print("\n%s: %d lines (%s)\n" % (name, tot, ", ".join("%s %d" % (l, lines[name][l]) for l in LANGS)))
            print("| act | en | es | pt |\n|---|---:|---:|---:|")
            for a in ACTS + ["(none)"]:
                print("| %s | %s |" % (a, " | ".join(str(counts[name][(l, a)]) for l in LANGS)))
        else:
            print("%s: %d lines %s" % (name, tot, dict(lines[name])))
            print("  %-22s %5s %5s %5s" % ("act", *LANGS))
            for a in ACTS + ["(none)"]:
                print("  %-22s %5d %5d %5d" % (a, *(counts[name][(l, a)] for l in LANGS)))
    # coverage: at least MIN positives per (lang, act) for every language present (--min=N, default 12)
    mn = int(([a[6:] for a in sys.argv if a.startswith("--min=")] or ["12"])[0])
    present = sorted({l for name in FILES for (l, _) in counts[name]})
    for l in present:
        for a in ACTS:
            t = sum(counts[n][(l, a)] for n in FILES)
            if t < mn:
                print("coverage: %s %s has %d, want >= %d" % (l, a, t, mn)); bad += 1
    if bad:
        print("FAIL: %d problems" % bad); sys.exit(1)
    if not md:
        print("OK")


if __name__ == "__main__":
    main()
