"""briefing.v1 generated code; the modules beside this file come from ``make proto`` and are not tracked."""
