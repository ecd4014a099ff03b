"""Derived metrics (SPEC §2) against hand-worked arithmetic on real rows.

cost $/M tok = price per GPU-hour / (throughput x 3600 / 1e6)
tok/s/MW     = throughput x 1000 / kW per GPU
J/token      = kW per GPU x 1000 / throughput
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from frontier.metrics import (
    Y_METRICS,
    add_derived,
    cost_per_million,
    joules_per_token,
    tokens_per_megawatt,
)
from frontier.reference import PROVIDERS

from .reference_impl import SPEC_HARDWARE


def point_by_tput(points: pd.DataFrame, tput: float) -> pd.Series:
    match = points[points["tput"] == tput]
    assert len(match) >= 1
    return match.iloc[0]


def test_hardware_table_matches_spec_defaults(bundled_dataset):
    gpus = bundled_dataset.reference.gpus
    assert set(gpus) == set(SPEC_HARDWARE)
    for key, (hyper, neo, rental, kw) in SPEC_HARDWARE.items():
        assert gpus[key].price == {"hyperscaler": hyper, "neocloud": neo, "rental": rental}
        assert gpus[key].kw_per_gpu == kw


def test_b300_seed_point_by_hand(bundled_dataset, seed_records):
    # Seed record 19: B300 trt MTP, conc 256, 7114.381566 tok/s/GPU (3552.994 in + 3561.387 out).
    rec = seed_records[19]
    assert (rec["hw"], rec["spec_decoding"], rec["conc"]) == ("b300", "mtp", 256)
    pt = point_by_tput(bundled_dataset.points, rec["tput_per_gpu"])
    # tokens per GPU-hour in millions: 7114.381566 x 3600 / 1e6 = 25.61177364
    # hyperscaler $2.34 / 25.61177364 = $0.0913642 per million tokens
    assert pt["cost_total_hyperscaler"] == pytest.approx(0.09136423088, rel=1e-9)
    # neocloud $2.808 / 25.61177364 = $0.1096371; 3-year rental $3.48 / 25.61177364 = $0.1358750
    assert pt["cost_total_neocloud"] == pytest.approx(0.10963707706, rel=1e-9)
    assert pt["cost_total_rental"] == pytest.approx(0.13587501003, rel=1e-9)
    # input: $2.34 / (3552.994226 x 0.0036) = $2.34 / 12.79077921 = $0.1829443
    assert pt["cost_input_hyperscaler"] == pytest.approx(0.18294428830, rel=1e-9)
    # output: $2.34 / (3561.387340 x 0.0036) = $2.34 / 12.82099442 = $0.1825131
    assert pt["cost_output_hyperscaler"] == pytest.approx(0.18251314386, rel=1e-9)
    assert pt["cost_input_rental"] == pytest.approx(0.27207099286, rel=1e-9)
    assert pt["cost_output_neocloud"] == pytest.approx(0.21901577264, rel=1e-9)
    # 7114.381566 tok/s x 1000 / 2.17 kW = 3,278,516.85 tok/s/MW
    assert pt["tokmw"] == pytest.approx(3278516.8507765, rel=1e-9)
    # 2.17 kW x 1000 / 7114.381566 tok/s = 0.30501597 J/token
    assert pt["jtok"] == pytest.approx(0.3050159708, rel=1e-9)


def test_h200_dsr1_point_by_hand(bundled_dataset, api_latest_rows):
    # dsr1_latest.json record 60: H200 sglang fp8, conc 4, 98.828611 tok/s/GPU.
    row = api_latest_rows[60]
    m = row["metrics"]
    assert (row["hardware"], row["precision"], row["conc"]) == ("h200", "fp8", 4)
    pt = point_by_tput(bundled_dataset.points, m["tput_per_gpu"])
    # 98.828611 x 0.0036 = 0.3557830 M tok per GPU-hour; $1.41 / 0.3557830 = $3.963090
    assert pt["cost_total_hyperscaler"] == pytest.approx(3.963089850529, rel=1e-9)
    assert pt["cost_total_neocloud"] == pytest.approx(4.890621517674, rel=1e-9)  # $1.74
    assert pt["cost_total_rental"] == pytest.approx(4.497123234643, rel=1e-9)  # $1.60
    # input 49.654756 tok/s: $1.41 / 0.1787571 = $7.887798; output 49.173855: $1.60 / 0.1770259 = $9.038227
    assert pt["cost_input_hyperscaler"] == pytest.approx(7.887797558609, rel=1e-9)
    assert pt["cost_output_rental"] == pytest.approx(9.038226616968, rel=1e-9)
    # 98.828611 x 1000 / 1.73 = 57,126.36 tok/s/MW; 1730 / 98.828611 = 17.505052 J/token
    assert pt["tokmw"] == pytest.approx(57126.364954386, rel=1e-9)
    assert pt["jtok"] == pytest.approx(17.505052190849, rel=1e-9)


def test_mi355x_dsr1_point_by_hand(bundled_dataset, api_latest_rows):
    # dsr1_latest.json record 0: MI355X sglang fp4, conc 4, 198.944798 tok/s/GPU.
    m = api_latest_rows[0]["metrics"]
    pt = point_by_tput(bundled_dataset.points, m["tput_per_gpu"])
    # 198.944798 x 0.0036 = 0.7162013; $1.48 / 0.7162013 = $2.066458 ; $1.90 -> $2.652886 ; $2.10 -> $2.932137
    assert pt["cost_total_hyperscaler"] == pytest.approx(2.066458205, rel=1e-9)
    assert pt["cost_total_neocloud"] == pytest.approx(2.652885533, rel=1e-9)
    assert pt["cost_total_rental"] == pytest.approx(2.932136642, rel=1e-9)
    # 198.944798 x 1000 / 2.65 = 75,073.51 tok/s/MW; 2650 / 198.944798 = 13.320278 J/token
    assert pt["tokmw"] == pytest.approx(75073.508852, rel=1e-9)
    assert pt["jtok"] == pytest.approx(13.320277889, rel=1e-9)


def test_every_point_follows_the_formulas(bundled_dataset):
    pts = bundled_dataset.points
    assert len(pts) > 1000
    for _, pt in pts.sample(200, random_state=3).iterrows():
        hyper, neo, rental, kw = SPEC_HARDWARE[pt["gpu"]]
        for provider, price in (("hyperscaler", hyper), ("neocloud", neo), ("rental", rental)):
            for kind, column in (("total", "tput"), ("input", "tput_input"), ("output", "tput_output")):
                expected = price / (pt[column] * 3600 / 1e6)
                assert pt[f"cost_{kind}_{provider}"] == pytest.approx(expected, rel=1e-12)
        assert pt["tokmw"] == pytest.approx(pt["tput"] * 1000 / kw, rel=1e-12)
        assert pt["jtok"] == pytest.approx(kw * 1000 / pt["tput"], rel=1e-12)


def test_formula_functions():
    assert cost_per_million(3.6, 1000.0) == pytest.approx(1.0)  # 3.6 M tok/hour at $3.60
    assert cost_per_million(2.34, 1e6 / 3600) == pytest.approx(2.34)  # exactly 1 M tok per hour
    assert tokens_per_megawatt(2.0, 2.0) == pytest.approx(1000.0)
    assert joules_per_token(1000.0, 2.0) == pytest.approx(2.0)  # 2 kW over 1000 tok/s
    # tok/s/MW and J/token are reciprocal up to the factor 1e6
    assert tokens_per_megawatt(1234.5, 2.17) * joules_per_token(1234.5, 2.17) == pytest.approx(1e6)


def test_add_derived_unknown_gpu_gets_nan(bundled_dataset):
    frame = pd.DataFrame({"gpu": ["b300", "xpu1"], "tput": [1000.0, 1000.0], "tput_input": [500.0, 500.0],
                          "tput_output": [500.0, 500.0]})
    out = add_derived(frame, bundled_dataset.reference)
    assert out.loc[0, "cost_total_hyperscaler"] == pytest.approx(2.34 / 3.6)
    assert out.loc[0, "cost_input_neocloud"] == pytest.approx(2.808 / 1.8)
    assert out.loc[0, "tokmw"] == pytest.approx(1e6 / 2.17)
    for column in ("cost_total_hyperscaler", "cost_output_rental", "tokmw", "jtok"):
        assert math.isnan(out.loc[1, column])


def test_metric_registry_covers_all_cost_columns():
    columns = {m.column for m in Y_METRICS.values()}
    for provider in PROVIDERS:
        for kind in ("total", "input", "output"):
            assert f"cost_{kind}_{provider}" in columns
    assert Y_METRICS["cost"].column == "cost_total_hyperscaler"  # hyperscaler is the default provider
    assert Y_METRICS["cost"].higher_is_better is False
    assert Y_METRICS["jtok"].higher_is_better is False
    assert Y_METRICS["tokmw"].higher_is_better is True
    assert Y_METRICS["tput"].higher_is_better is True


def test_bad_hardware_row_is_reported_and_its_gpu_has_no_cost(make_data_dir, seed_records):
    from frontier.dataset import build_dataset

    data = make_data_dir({"seed.json": seed_records[:2]})
    text = (data / "hardware.csv").read_text().replace("b300,B300,NVIDIA,Blackwell,2.34,", "b300,B300,NVIDIA,Blackwell,free,")
    (data / "hardware.csv").write_text(text)
    ds = build_dataset(data, fallback_dir=None)
    bad = [p for p in ds.problems if p.file == "hardware.csv"]
    assert len(bad) == 1 and bad[0].field == "hyperscaler" and "'free'" in bad[0].message
    assert "b300" not in ds.reference.gpus and "h200" in ds.reference.gpus
    assert len(ds.points) == 2
    assert ds.points["cost_total_hyperscaler"].isna().all()
    assert any(p.field == "gpu" and "b300" in p.message for p in ds.problems)


# ---- tokens per dollar, power per token kind, latency axes ---------------------------------

def test_new_derived_columns_on_the_h200_point_by_hand(bundled_dataset, api_latest_rows):
    # the same H200 point: 98.828611 tok/s/GPU, 49.654756 in + 49.173855 out, $1.41/GPU-hr, 1.73 kW
    m = api_latest_rows[60]["metrics"]
    pt = point_by_tput(bundled_dataset.points, m["tput_per_gpu"])
    # tokens per $: 98.828611 x 3600 / 1.41 = 252,328.37 ; = 1e6 / $3.963090
    assert pt["tpd_total_hyperscaler"] == pytest.approx(252328.37, rel=1e-8)
    assert pt["tpd_total_hyperscaler"] * pt["cost_total_hyperscaler"] == pytest.approx(1e6, rel=1e-12)
    # output tokens per $ at neocloud prices: 49.173855 x 3600 / 1.74 = 101,739.01
    assert pt["tpd_output_neocloud"] == pytest.approx(m["output_tput_per_gpu"] * 3600 / 1.74, rel=1e-12)
    assert pt["tpd_output_neocloud"] == pytest.approx(101739.01, rel=1e-7)
    # input tok/s/MW: 49.654756 x 1000 / 1.73 = 28,702.17 ; input J/token: 1730 / 49.654756 = 34.840571
    assert pt["tokmw_input"] == pytest.approx(m["input_tput_per_gpu"] * 1000 / 1.73, rel=1e-12)
    assert pt["tokmw_input"] == pytest.approx(28702.17, rel=1e-6)
    assert pt["jtok_input"] == pytest.approx(34.840571, rel=1e-6)
    assert pt["jtok_output"] == pytest.approx(1730 / m["output_tput_per_gpu"], rel=1e-12)
    assert pt["tokmw_output"] * pt["jtok_output"] == pytest.approx(1e6, rel=1e-12)


def test_registry_new_metrics_and_axes():
    from frontier.metrics import X_AXES, metric_provider

    assert Y_METRICS["tokens_per_dollar"].column == "tpd_total_hyperscaler"
    assert Y_METRICS["tokens_per_dollar"].unit == "tokens/$" and Y_METRICS["tokens_per_dollar"].higher_is_better
    assert Y_METRICS["tokens_per_dollar_output_rental"].column == "tpd_output_rental"
    assert metric_provider("tokens_per_dollar_input_neocloud") == "neocloud"
    assert metric_provider("cost_output_rental") == "rental" and metric_provider("tokmw") is None
    for kind in ("input", "output"):
        assert Y_METRICS[f"tokmw_{kind}"].higher_is_better and Y_METRICS[f"tokmw_{kind}"].unit == "tok/s/MW"
        assert not Y_METRICS[f"jtok_{kind}"].higher_is_better and Y_METRICS[f"jtok_{kind}"].unit == "J/token"
    # existing ids keep their meaning: ttft / e2el are the medians
    assert X_AXES["ttft"].column == "ttft_median" and X_AXES["e2el"].column == "e2el_median"
    for base in ("ttft", "e2el"):
        for pct in ("p90", "p99"):
            axis = X_AXES[f"{base}_{pct}"]
            assert axis.column == f"{base}_{pct}" and axis.unit == "s" and not axis.higher_is_better
    assert X_AXES["intvty"].higher_is_better


def test_latency_axes_have_data(bundled_dataset):
    from frontier.metrics import X_AXES

    pts = bundled_dataset.points
    dsr1 = pts[pts["model"].astype(str) == "dsr1"]
    for axis in X_AXES.values():
        # every DeepSeek row has medians and p99; p90 only some (points without it have no x on
        # a p90 axis and stay off its frontiers, SPEC §3)
        count = dsr1[axis.column].notna().sum()
        if axis.id.endswith("_p90"):
            assert 0 < count < len(dsr1)
        else:
            assert count == len(dsr1), axis.id
