#!/usr/bin/env python3
"""Writes infra/grafana/dashboards/alignment.json and data.json (run from the repository root; commit the output).
The panels read pipeline_stage_metric{run,stage,name}: every metric a stage reports, under its own name
(src/Pipeline.Contracts/MetricNames.cs for the alignment stages)."""
import json, pathlib

DS = {"type": "prometheus", "uid": "${datasource}"}

def variables(stage_regex):
    return {"list": [
        {"type": "datasource", "name": "datasource", "label": "Data source", "query": "prometheus",
         "current": {"selected": True, "text": "Prometheus", "value": "pipeline-prometheus"},
         "hide": 0, "options": [], "refresh": 1, "regex": ""},
        {"type": "query", "name": "stage", "label": "Stage", "datasource": DS,
         "query": {"query": f'label_values(pipeline_stage_metric{{stage=~"{stage_regex}"}}, stage)', "refId": "stage-variable"},
         "refresh": 2, "sort": 1, "multi": True, "includeAll": True, "allValue": stage_regex,
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "options": [], "hide": 0},
        {"type": "query", "name": "run", "label": "Run", "datasource": DS,
         "query": {"query": 'label_values(pipeline_stage_metric{stage=~"$stage"}, run)', "refId": "run-variable"},
         "refresh": 2, "sort": 1, "multi": True, "includeAll": True, "allValue": ".*",
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "options": [], "hide": 0},
    ]}

class Layout:
    def __init__(self): self.y, self.x, self.id, self.panels = 0, 0, 1, []
    def row(self, title):
        if self.x: self.y += 8; self.x = 0
        self.panels.append({"type": "row", "id": self.id, "title": title, "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.id += 1; self.y += 1
    def panel(self, title, description, targets, unit="short", width=12, stacked=False):
        if self.x + width > 24: self.y += 8; self.x = 0
        self.panels.append({
            "type": "timeseries", "id": self.id, "title": title, "description": description, "datasource": DS,
            "gridPos": {"h": 8, "w": width, "x": self.x, "y": self.y},
            "fieldConfig": {"defaults": {"unit": unit, "custom": {
                "drawStyle": "line", "lineWidth": 1, "fillOpacity": 20 if stacked else 10, "showPoints": "never", "spanNulls": True,
                "stacking": {"mode": "normal" if stacked else "none", "group": "A"}}}, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True, "calcs": ["lastNotNull"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [{"datasource": DS, "refId": chr(ord("A") + i), "expr": e, "legendFormat": l, "range": True, "instant": False}
                        for i, (e, l) in enumerate(targets)]})
        self.id += 1; self.x += width

def metric(names, by="run, stage, name", where='run=~"$run", stage=~"$stage"'):
    matcher = f'name="{names}"' if "|" not in names and "*" not in names else f'name=~"{names}"'
    return f'max by ({by}) (pipeline_stage_metric{{{matcher}, {where}}})'

def dashboard(uid, title, description, tags, stage_regex, layout):
    return {"uid": uid, "title": title, "description": description, "tags": tags, "timezone": "browser", "editable": True,
            "graphTooltip": 1, "schemaVersion": 39, "version": 1, "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
            "timepicker": {}, "annotations": {"list": []}, "links": [], "templating": variables(stage_regex), "panels": layout.panels}

def alignment():
    L = Layout()
    L.row("Reward and KL")
    L.panel("Reward", "objective/rlhf_reward (score minus the KL penalty), objective/scores (the reward sources' combined score) and each source's own mean (rewards/<source>).",
            [(metric("objective/rlhf_reward|objective/scores|rewards/.+"), "{{name}} {{stage}} {{run}}")])
    L.panel("KL to the reference", "objective/kl (nats per completion) against the budget of PipelineKlOverBudget (stage:objective_kl:budget), and the KL coefficient objective/kl_coef.",
            [(metric("objective/kl"), "{{name}} {{stage}} {{run}}"),
             ('stage:objective_kl:budget{stage=~"$stage"}', "budget {{stage}}"),
             (metric("objective/kl_coef"), "{{name}} {{stage}} {{run}}")])
    L.panel("Reward model vs independent judge", "Reward hacking shows as objective/scores rising while the judge's eval/reward (every eval_every steps) stays at or below eval/reward_start (PipelineRewardModelDivergesFromJudge).",
            [(metric("objective/scores|eval/reward|eval/reward_start"), "{{name}} {{stage}} {{run}}")])
    L.panel("Entropy", "objective/entropy of the policy's sampled tokens: a collapse to zero means the policy stopped exploring.",
            [(metric("objective/entropy"), "{{name}} {{stage}} {{run}}")])
    L.row("Policy update")
    L.panel("Clip fraction", "policy/clipfrac (ratio outside 1 ± ε) and the value head's val/clipfrac (PPO).",
            [(metric("policy/clipfrac|val/clipfrac"), "{{name}} {{stage}} {{run}}")], unit="percentunit")
    L.panel("Approximate KL of an update and importance ratio", "policy/approxkl between the rollout policy and the updated one, and the mean ratio val/ratio (near 1 when updates are small).",
            [(metric("policy/approxkl|val/ratio"), "{{name}} {{stage}} {{run}}")])
    L.panel("Losses", "loss/policy and loss/value.", [(metric("loss/policy|loss/value"), "{{name}} {{stage}} {{run}}")])
    L.panel("Learning rate and gradient norm", "train/learning_rate and train/grad_norm (before clipping).",
            [(metric("train/learning_rate|train/grad_norm"), "{{name}} {{stage}} {{run}}")])
    L.row("Completions")
    L.panel("Completion length", "completions/mean_length (tokens) and the share cut off at the token limit, completions/clipped_ratio.",
            [(metric("completions/mean_length"), "{{name}} {{stage}} {{run}}"), (metric("completions/clipped_ratio"), "{{name}} {{stage}} {{run}}")])
    L.panel("Reward / length correlation", "objective/length_correlation: Pearson correlation of score and completion length within a step. Rising toward 1 means the reward pays for length.",
            [(metric("objective/length_correlation"), "{{name}} {{stage}} {{run}}")])
    L.panel("Group reward spread (GRPO)", "objective/reward_std within a prompt's group and the share of groups with zero spread (objective/frac_reward_zero_std), which give no learning signal.",
            [(metric("objective/reward_std|objective/frac_reward_zero_std"), "{{name}} {{stage}} {{run}}")])
    L.row("Timing")
    L.panel("Step time by phase", "timing/rollout (generation), timing/score (reward sources) and timing/update (optimizer), seconds per step, stacked.",
            [(metric("timing/rollout|timing/score|timing/update"), "{{name}} {{stage}} {{run}}")], unit="s", stacked=True)
    L.panel("Tokens per second", "perf/tokens_per_second of the whole step.", [(metric("perf/tokens_per_second"), "{{stage}} {{run}}")])
    return dashboard("pipeline-alignment", "LLM post-training: alignment (PPO, GRPO, DPO)",
                     "The alignment stages' step metrics: reward, KL, clipping, completion length, reward/length correlation and step timing.",
                     ["pipeline", "alignment"], "ppo|grpo|dpo", L)

def data():
    L = Layout()
    ingest = 'run=~"$run", stage=~"$stage"'
    L.row("Ingestion")
    L.panel("Rows read and kept per second", "Growth of rows_read and rows_kept (train + validation) that ingestion reports while it works.",
            [(f'sum by (run, name) (deriv(pipeline_stage_metric{{name=~"rows_read|rows_kept", {ingest}}}[5m]))', "{{name}} {{run}}")], unit="short")
    L.panel("Rows dropped", "rows_read − rows_kept: rows removed by validation, de-duplication, PII and quality filters. The count per reason is in the dataset's data card (data_card.md).",
            [(f'max by (run) (pipeline_stage_metric{{name="rows_read", {ingest}}}) - max by (run) (pipeline_stage_metric{{name="rows_kept", {ingest}}})', "dropped {{run}}")])
    L.panel("Ingestion progress", "Fraction of the input done, per run.", [(f'max by (run, stage) (pipeline_stage_metric{{name="progress", {ingest}}})', "{{stage}} {{run}}")], unit="percentunit")
    L.panel("Shard queue", "Shards waiting and in flight on ingest-shards, and the replicas consuming it (KEDA adds replicas while it holds work).",
            [('max by (queue) (rabbitmq_queue_messages{queue="ingest-shards"})', "messages"),
             ('max by (queue) (rabbitmq_queue_consumers{queue="ingest-shards"})', "consumers")])
    return dashboard("pipeline-data", "LLM post-training: data stages",
                     "Ingestion throughput, dropped rows and the shard queue.", ["pipeline", "data"], "ingest|synthesize", L)

root = pathlib.Path("infra/grafana/dashboards")
for name, d in (("alignment", alignment()), ("data", data())):
    (root / f"{name}.json").write_text(json.dumps(d, indent=2) + "\n")
