"""Building blocks of the MLSight demo seeder (scripts/seed_demo.py): data, attributions, MLflow runs, summary."""
