"""The `make eval` table: plain text, baselines side by side."""

from __future__ import annotations

from typing import Any


def key_point_lines(sets: dict[str, Any], scorer: dict[str, Any]) -> list[str]:
    """Each report set side by side: key points, Lead-3 by the same splitter in the same run, the anchors."""
    names = list(sets)
    lines = ["Key points (top 3) vs references: ROUGE F1 x100, stemmed, one sentence a line"]
    head = "".join(
        f"  {n + ': ' + str(sets[n]['articles']) + ', ' + sets[n]['reference']:>26}" for n in names
    )
    lines.append(f"  {'':34}{head}")
    lines.append(f"  {'system':34}" + "".join(f"  {'R1':>8} {'R2':>6} {'RLsum':>6}    " for _ in names))
    systems = list(dict.fromkeys(s for n in names for s in sets[n]["systems"]))
    for system in systems:
        cells = []
        for n in names:
            s = sets[n]["systems"].get(system)
            cells.append(
                f"  {s['rouge1']:8.2f} {s['rouge2']:6.2f} {s['rougeLsum']:6.2f}    "
                if s
                else f"  {'—':>8} {'':6} {'':6}    "
            )
        lines.append(f"  {system:34}" + "".join(cells))
    lines.append(
        f"  {'R1 over Lead-3':34}"
        + "".join(f"  {sets[n]['r1_over_lead3']:+8.2f} {'':6} {'':6}    " for n in names)
    )
    if scorer:
        cv = scorer.get("cv", {})
        pairs = zip(cv.get("references", []), cv.get("rouge1", []), cv.get("lead3_rouge1", []), strict=False)
        lines.append(f"  scorer: {scorer.get('model', '?')}; {scorer.get('trained_on', '?')}")
        lines.append(
            f"  its {cv.get('folds', '?')}-fold CV on train, R1 (Lead-3): "
            + ", ".join(f"{ref} {ours:.2f} ({lead:.2f})" for ref, ours, lead in pairs)
        )
    return lines


def render_table(r: dict[str, Any]) -> str:
    model = r["model"]
    lines = [
        f"Briefing eval — {r['date']} — {model['summarizer']}, encoder {model.get('encoder', '?')}, NER {model['ner']}",
        "",
    ]
    if "key_points" in r:
        lines += key_point_lines(r["key_points"], r.get("key_point_scorer", {}))
        lines.append("")
    if "headline" in r:
        h = r["headline"]
        lines.append(f"Headline vs Daily Mail URL slug, {h['articles_with_slug']} articles (ROUGE-1 F1 x100)")
        lines.append(f"  {'system':34} {'R1':>6} {'words':>6}")
        for name, s in h["systems"].items():
            lines.append(f"  {name:34} {s['slug_rouge1']:6.2f} {s['mean_words']:6.2f}")
        lines.append(
            f"  headline words over all articles: mean {h['headline_words_mean_all']}, "
            f"max {h['headline_words_max_all']}, over 14: {h['headlines_over_14_words']}"
        )
        c = h.get("checks")
        if c:
            hist = ", ".join(f"{k}: {v}" for k, v in c["length_histogram"].items())
            lines.append(f"  headline length (words) over {c['articles']} articles: {hist}")
            lines.append(
                f"  automatic checks: junk {c['junk']}, ends on an open word {c['ends_open']}, "
                f"unbalanced quotes {c['unbalanced_quotes']}, empty {c['empty']}, over 20 words {c['over_20']}"
            )
            for kind, examples in c["examples"].items():
                lines.extend(f"    {kind}: {e}" for e in examples)
        lines.append("")
    if "ner" in r:
        n = r["ner"]
        lines.append(
            f"NER on CoNLL-2003 ({n['documents']} documents, {n['sentences']} sentences; OntoNotes mapped)"
        )
        lines.append(f"  {'system':34} {'P':>6} {'R':>6} {'F1':>6}   per type F1")
        rows = (
            ("briefing entity path", n),
            ("  without the tagger (spaCy + rules)", n.get("rules_alone")),
            ("spaCy sm alone (raw doc.ents)", n.get("spacy_alone")),
        )
        for name, s in rows:
            if s:
                lines.append(
                    f"  {name:34} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}   "
                    + "  ".join(f"{t} {s.get('f1_' + t, 0.0):.3f}" for t in ("PER", "ORG", "LOC", "MISC"))
                )
        lines.append("")
    if "entity_table" in r:
        t = r["entity_table"]
        sets = t.get("sets", {})
        lines.append(
            f"Entity-table check: {t['articles']} written articles (evaluation/entity_cases*.py), share of checks passed"
        )
        for name, s in t["systems"].items():
            lines.append(f"  {name:42} {s['passed']:3d} / {s['checks']:3d}   {s['share']:.3f}")
            for set_name, b in s.get("by_set", {}).items():
                label = f"{set_name}, {sets.get(set_name, '?')} articles"
                lines.append(f"    {label:40} {b['passed']:3d} / {b['checks']:3d}   {b['share']:.3f}")
        for miss in next(iter(t["systems"].values()))["failed"]:
            lines.append(f"  failed: {miss}")
        lines.append("")
    times = [f"load {r['load_seconds']}s"]
    for name, kp in r.get("key_points", {}).items():
        times.append(f"key points ({name}) {kp['seconds']}s")
    if "headline" in r:
        times.append(f"dev key points + headlines {r['seconds']}s (pipeline {r['pipeline_seconds']}s)")
    if "ner" in r:
        times.append(f"NER {r['ner']['seconds']}s")
    times.append(f"total {r['total_seconds']}s")
    lines.append("Wall time: " + ", ".join(times))
    return "\n".join(lines)
