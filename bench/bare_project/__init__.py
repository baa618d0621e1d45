"""The floor `make bench` measures public pages against: a separate, minimal Django project (no apps,
no middleware, no database, one view returning a short response) served by the same gunicorn
settings (config/gunicorn.py, 2 workers) and loaded the same way."""
