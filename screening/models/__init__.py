"""Trained judges (scikit-learn pipelines) and their persisted, verified artifacts."""
