"""What bench/report.py and its section modules share: the BLAS settings and the formatting."""

SETTINGS = ("as-is", "unrestricted")


def fmt(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def goal_line(text, found, limit):
    if found is None:
        return f"- {text}: not measured"
    value, where = found
    verdict = "met" if value <= limit else "NOT met"
    return f"- {text}: worst {value:.3f} at {where} (goal <= {limit:.3g}): {verdict}"
