"""Drives LookKit's upload page in headless Chromium as a person would: choose a photo in the
file input, press Recommend, wait for the result to render (the page sets #result's data-state),
then save a full-page screenshot and print what rendered as JSON.

Usage: drive_upload_page.py CHROMIUM PAGE_URL PHOTO SCREENSHOT.png
Talks the DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-separated JSON),
so it needs only the standard library. Exits 1 when the page does not reach "done".
"""
import base64, fcntl, json, os, select, shutil, subprocess, sys, tempfile, time

browser, page_url, photo, screenshot = sys.argv[1:5]
TIMEOUT = 60


class DevTools:
    def __init__(self):
        to_child, self.commands = os.pipe()
        self.replies, from_child = os.pipe()

        def pipes_on_3_and_4():
            # Move both ends above 4 first so neither dup2 clobbers the other.
            a, b = fcntl.fcntl(to_child, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child, fcntl.F_DUPFD, 10)
            os.dup2(a, 3); os.dup2(b, 4)

        self.profile = tempfile.mkdtemp(prefix="lookkit-chromium-")
        self.process = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=pipes_on_3_and_4, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child); os.close(from_child)
        self.buffer, self.next_id, self.events = b"", 0, []

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def read(self):
        deadline = time.time() + TIMEOUT
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.replies], [], [], max(0, deadline - time.time()))
            chunk = os.read(self.replies, 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("Chromium stopped answering")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for_event(self, method):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self.read())
        raise RuntimeError(f"no {method} within {TIMEOUT} s")

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


tools = DevTools()
try:
    target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call = lambda method, params=None: tools.call(method, params, session)
    evaluate = lambda code: call("Runtime.evaluate", {"expression": code, "returnByValue": True, "awaitPromise": True})["result"].get("value")
    call("Page.enable")
    call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    call("Page.navigate", {"url": page_url})
    tools.wait_for_event("Page.loadEventFired")

    # The upload a person makes: the file chooser's pick, then a click on the button.
    root = call("DOM.getDocument")["root"]["nodeId"]
    file_input = call("DOM.querySelector", {"nodeId": root, "selector": "#photo"})["nodeId"]
    call("DOM.setFileInputFiles", {"nodeId": file_input, "files": [os.path.abspath(photo)]})
    box = call("DOM.getBoxModel", {"nodeId": call("DOM.querySelector", {"nodeId": root, "selector": "#submit"})["nodeId"]})["model"]["content"]
    x, y = (box[0] + box[4]) / 2, (box[1] + box[5]) / 2
    for kind in ("mousePressed", "mouseReleased"):
        call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    deadline = time.time() + TIMEOUT
    while evaluate("document.getElementById('result').dataset.state") in ("idle", "loading") and time.time() < deadline:
        time.sleep(0.1)
    summary = evaluate("""(() => ({
        state: document.getElementById('result').dataset.state,
        error: document.getElementById('error').textContent,
        photo_loaded: !!document.querySelector('#stage img') && document.querySelector('#stage img').naturalWidth > 0,
        boxes: Array.from(document.querySelectorAll('.box')).map(b => b.textContent),
        rows: Array.from(document.querySelectorAll('#rows h2')).map(h => h.textContent),
        thumbnails: document.querySelectorAll('#rows img').length,
        thumbnails_loaded: Array.from(document.querySelectorAll('#rows img')).filter(i => i.complete && i.naturalWidth > 0).length,
        facts: document.getElementById('facts').innerText,
        height: document.documentElement.scrollHeight,
    }))()""")
    call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": max(900, summary["height"]), "deviceScaleFactor": 1, "mobile": False})
    png = call("Page.captureScreenshot", {"format": "png"})["data"]
    with open(screenshot, "wb") as file:
        file.write(base64.b64decode(png))
    print(json.dumps(summary))
    sys.exit(0 if summary["state"] == "done" else 1)
finally:
    tools.close()
