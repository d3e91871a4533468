"""`flask forum worker`: one long-running process for the background jobs (forum.worker.loop)."""
