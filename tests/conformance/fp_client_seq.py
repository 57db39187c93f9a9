"""The official floorplan-api client (0.5.0) running the wire-compatibility
sequence against a base URL: sync extract, the presigned upload flow, and
an async job (whose first status poll gets a 503)."""
import sys
from floorplan_api import Client

base, image = sys.argv[1], sys.argv[2]
with Client(api_key="fp_test_wire", base_url=base, retry_backoff=0.0) as c:
    c.extract(image)
    c.upload_then_extract(image, threshold_bytes=0)
    job = c.analyze_async(image)
    c.wait_for_job(job.id, poll_interval=0.0)
    c.download_mask(job.id)
print("ok")
