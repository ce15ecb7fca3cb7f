#!/usr/bin/env python3
"""Checks and counts the labelled turns in context.

  python3 turns_check.py            validate turns_tune.jsonl and turns_heldout.jsonl, print counts
  python3 turns_check.py --markdown same counts as markdown tables (pasted into turns_README.md)
"""
import json, sys, os, collections

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["turns_tune.jsonl", "turns_heldout.jsonl"]
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
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
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
    for name in FILES:
        for o in data[name]:
            seen[(o["lang"], o["state"], o["text"].lower())] += 1
    for k, v in seen.items():
        if v > 1:
            print("duplicate (lang, state, text): %r" % (k,)); bad += 1
    # the same text in two languages is allowed only when it has no letters (menu numbers)
    xl = collections.defaultdict(set)
    for (l, st, t) in seen:
        xl[(st, t)].add(l)
    for (st, t), ls in sorted(xl.items()):
        if len(ls) > 1 and any(ch.isalpha() for ch in t):
            print("same text in %s: %r at %s" % (sorted(ls), t, st)); bad += 1
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
    # coverage: >= 15 positives per (lang, act) overall, >= 5 in the held-out third
    for l in LANGS:
        for a in ACTS:
            t = sum(counts[n][(l, a)] for n in FILES)
            h = counts["turns_heldout.jsonl"][(l, a)]
            if t < 15 or h < 5:
                print("coverage: %s %s total %d held-out %d" % (l, a, t, h)); bad += 1
    if bad:
        print("FAIL: %d problems" % bad); sys.exit(1)
    if not md:
        print("OK")


if __name__ == "__main__":
    main()
