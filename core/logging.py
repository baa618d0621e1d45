"""Structured (JSON-lines) logs that carry no ID numbers: a filter masks anything shaped like a
Taiwan national ID or resident certificate before a record is written."""

import json
import logging
import re

_ID_PATTERN = re.compile(r"\b([A-Z])([1289A-D])(\d{8})\b")


def redact(text: str) -> str:
    return _ID_PATTERN.sub(lambda m: f"{m[1]}{m[2]}{m[3][0]}****{m[3][-3:]}", text)


class RedactIdentifiersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("status_code", "task_id", "task_name"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
