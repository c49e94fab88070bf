"""Renderers: functions of result values that return text. Nothing here writes."""
