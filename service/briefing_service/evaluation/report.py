"""The `make eval` table: plain text, baselines side by side."""

from __future__ import annotations

from typing import Any


def render_table(r: dict[str, Any]) -> str:
    model = r["model"]
    lines = [
        f"Briefing eval — {r['date']} — {model['summarizer']}, encoder {model.get('encoder', '?')}, NER {model['ner']}",
        "",
    ]
    if "key_points" in r:
        kp = r["key_points"]
        lines.append(f"Key points vs highlights, {kp['articles']} articles (ROUGE F1 x100, stemmed)")
        lines.append(f"  {'system':34} {'R1':>6} {'R2':>6} {'RLsum':>6}")
        for name, s in kp["systems"].items():
            lines.append(f"  {name:34} {s['rouge1']:6.2f} {s['rouge2']:6.2f} {s['rougeLsum']:6.2f}")
        ours = kp["systems"]["briefing key points (top 3)"]["rouge1"]
        lead = kp["systems"]["Lead-3 (same splitter)"]["rouge1"]
        lines.append(f"  R1 over Lead-3: {ours - lead:+.2f}")
        cv = kp.get("cross_validation")
        if cv:
            lines.append(
                f"  ranker constants chosen on this file, {cv['folds']}-fold cross-validated over "
                f"{cv['grid_points']} grid points: held-out R1 {cv['held_out_rouge1']:.2f} "
                f"({cv['held_out_rouge1'] - lead:+.2f} over Lead-3); in-sample {cv['shipped_in_sample_rouge1']:.2f}; "
                f"all three rules off {cv['rules_off_rouge1']:.2f}"
            )
            picks = ", ".join(
                (f"x{c['run_on_factor']} at {c['run_on_words']} words" if c["run_on_factor"] < 1 else "off")
                + " / "
                + (f"cosine {c['near_duplicate']}" if c["near_duplicate"] <= 1 else "off")
                + " / "
                + (f"x{c['quote_factor']}" if c["quote_factor"] < 1 else "off")
                for c in cv["chosen_per_fold"]
            )
            lines.append(
                "  chosen per fold (caption factor at words / near-duplicate cosine / opening-quote factor): "
                + picks
            )
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
    if "key_points" in r:
        times.append(f"key points + headlines {r['seconds']}s (pipeline {r['pipeline_seconds']}s)")
    if "ner" in r:
        times.append(f"NER {r['ner']['seconds']}s")
    times.append(f"total {r['total_seconds']}s")
    lines.append("Wall time: " + ", ".join(times))
    return "\n".join(lines)
