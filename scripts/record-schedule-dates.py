#!/usr/bin/env python3
"""Records the dates Prefect 3.9.1's server schedules yield, for the embedded server's scheduler
to match slot for slot (Tests/PrefectServerTests/ScheduleDatesTests.swift).

Each case is a schedule as a deployment's create would store it (through the server's
`DeploymentScheduleCreate`, so rrules get their DTSTART) and a window; the answer is
`schedule._get_dates_generator(n, start, end)` — what the scheduler service calls — as UTC
instants. Windows cross daylight saving time in both directions.

  .prefect-venv/bin/python scripts/record-schedule-dates.py Tests/PrefectServerTests/Fixtures/schedule-dates.json
"""
import json
import sys
from datetime import datetime, timezone

from prefect.server.schemas.actions import DeploymentScheduleCreate

SPRING = ("2026-03-20T00:00:00+00:00", "2026-04-05T00:00:00+00:00")
AUTUMN = ("2026-10-20T00:00:00+00:00", "2026-11-06T00:00:00+00:00")
YEAR = ("2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")

CASES = [
    ("interval hourly in Paris", {"interval": 3600, "anchor_date": "2026-01-01T00:00:00Z", "timezone": "Europe/Paris"}, SPRING, 100),
    ("interval hourly UTC, anchor after the start", {"interval": 3600, "anchor_date": "2026-03-25T00:30:00Z", "timezone": "UTC"}, SPRING, 20),
    ("interval daily in New York keeps 9:00 local", {"interval": 86400, "anchor_date": "2026-01-01T14:00:00Z", "timezone": "America/New_York"}, SPRING, 100),
    ("interval daily in New York, autumn", {"interval": 86400, "anchor_date": "2026-01-01T14:00:00Z", "timezone": "America/New_York"}, AUTUMN, 100),
    ("interval daily at 02:30 Paris across the spring gap", {"interval": 86400, "anchor_date": "2026-03-01T02:30:00+01:00", "timezone": "Europe/Paris"}, SPRING, 100),
    ("interval daily UTC", {"interval": 86400, "anchor_date": "2025-06-01T06:15:00Z"}, SPRING, 100),
    ("interval daily before its anchor", {"interval": 86400, "anchor_date": "2026-04-01T08:00:00+02:00", "timezone": "Europe/Paris"}, SPRING, 100),
    ("interval 1 d 1 h 1 min 1 s in New York", {"interval": 90061, "anchor_date": "2026-03-01T12:00:00Z", "timezone": "America/New_York"}, SPRING, 100),
    ("interval weekly in Paris, autumn", {"interval": 604800, "anchor_date": "2026-01-05T07:00:00+01:00", "timezone": "Europe/Paris"}, AUTUMN, 100),
    ("interval 90.5 s, count-limited", {"interval": 90.5, "anchor_date": "2026-03-19T23:59:00Z"}, SPRING, 25),
    ("cron weekdays 9:00 Paris", {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris"}, SPRING, 100),
    ("cron 02:30 Paris across the spring gap", {"cron": "30 2 * * *", "timezone": "Europe/Paris"}, SPRING, 100),
    ("cron 02:30 Paris across the autumn fold", {"cron": "30 2 * * *", "timezone": "Europe/Paris"}, AUTUMN, 100),
    ("cron hourly New York across the autumn fold", {"cron": "0 * * * *", "timezone": "America/New_York"}, ("2026-10-31T20:00:00+00:00", "2026-11-02T00:00:00+00:00"), 100),
    ("cron every 15 min 1-2 h New York, autumn", {"cron": "*/15 1-2 * * *", "timezone": "America/New_York"}, ("2026-10-30T00:00:00+00:00", "2026-11-03T00:00:00+00:00"), 100),
    ("cron Friday the 13th, day_or", {"cron": "0 0 13 * 5", "timezone": "UTC"}, YEAR, 100),
    ("cron Friday the 13th, not day_or", {"cron": "0 0 13 * 5", "timezone": "UTC", "day_or": False}, YEAR, 100),
    ("cron last day of the month", {"cron": "0 12 L * *"}, YEAR, 100),
    ("cron last Friday of the month", {"cron": "0 12 * * L5"}, YEAR, 100),
    ("cron second Monday of the month", {"cron": "0 12 * * 1#2"}, YEAR, 100),
    ("cron the 20th to the last day", {"cron": "0 6 20-L * *"}, YEAR, 100),
    ("cron a range round midnight", {"cron": "0 22-2 * * *", "timezone": "Europe/Paris"}, SPRING, 40),
    ("cron with seconds", {"cron": "0 12 * * * 30"}, SPRING, 20),
    ("cron names and steps", {"cron": "5/20 8-18/5 * jan-mar,dec mon-fri", "timezone": "Asia/Tokyo"}, SPRING, 100),
    ("cron @daily", {"cron": "@daily", "timezone": "America/Los_Angeles"}, SPRING, 100),
    ("cron no timezone", {"cron": "45 23 * * 0"}, SPRING, 100),
    ("rrule daily 9:00 New York", {"rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "timezone": "America/New_York"}, SPRING, 100),
    ("rrule weekly Mon Wed Fri 8:00 Paris", {"rrule": "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=8", "timezone": "Europe/Paris"}, SPRING, 100),
    ("rrule monthly on the 31st", {"rrule": "FREQ=MONTHLY;BYMONTHDAY=31"}, YEAR, 100),
    ("rrule monthly last Friday", {"rrule": "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=17", "timezone": "Europe/London"}, YEAR, 100),
    ("rrule monthly first weekday", {"rrule": "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1"}, YEAR, 100),
    ("rrule yearly second Sunday of March", {"rrule": "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "timezone": "America/Chicago"}, ("2026-01-01T00:00:00+00:00", "2030-12-31T00:00:00+00:00"), 100),
    ("rrule every 5 hours from 2020", {"rrule": "FREQ=HOURLY;INTERVAL=5"}, SPRING, 100),
    ("rrule count from an explicit start", {"rrule": "DTSTART:20260321T100000\nRRULE:FREQ=DAILY;COUNT=5", "timezone": "Europe/Paris"}, SPRING, 100),
    ("rrule until", {"rrule": "DTSTART:20260321T100000\nRRULE:FREQ=DAILY;UNTIL=20260326T100000", "timezone": "UTC"}, SPRING, 100),
    ("rrule set with an exdate", {"rrule": "DTSTART:20260321T070000\nRRULE:FREQ=DAILY\nEXDATE:20260323T070000", "timezone": "UTC"}, SPRING, 10),
    ("rrule set with an rdate", {"rrule": "DTSTART:20260321T070000\nRRULE:FREQ=WEEKLY\nRDATE:20260325T120000", "timezone": "UTC"}, SPRING, 10),
    ("rrule daily 2:30 Paris across the spring gap", {"rrule": "DTSTART:20260320T023000\nRRULE:FREQ=DAILY", "timezone": "Europe/Paris"}, SPRING, 100),
    ("rrule hourly New York across the autumn fold", {"rrule": "DTSTART:20261031T000000\nRRULE:FREQ=HOURLY", "timezone": "America/New_York"}, ("2026-10-31T20:00:00+00:00", "2026-11-02T00:00:00+00:00"), 100),
]


def main() -> None:
    out = []
    for name, schedule, (start, end), n in CASES:
        normalized = DeploymentScheduleCreate(schedule=schedule).schedule
        begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end)
        dates = [d.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
                 for d in normalized._get_dates_generator(n=n, start=begin, end=finish)]
        out.append({"name": name, "schedule": json.loads(normalized.model_dump_json()), "start": start, "end": end,
                    "n": n, "dates": dates})
    with open(sys.argv[1], "w") as fh:
        json.dump({"recorded_from": "prefect 3.9.1", "cases": out}, fh, indent=1)
        fh.write("\n")
    print(f"{len(out)} cases, {sum(len(c['dates']) for c in out)} dates -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
