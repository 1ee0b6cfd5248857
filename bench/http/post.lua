-- wrk script: POST the echo envelope with the bootstrap token and CSRF token from the environment.
wrk.method = "POST"
wrk.body = '{"tool_id":"cloned.internal.echo@v1","input":{"n":1}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CLONED_TOKEN")
wrk.headers["X-CSRF-Token"] = os.getenv("CLONED_CSRF")
