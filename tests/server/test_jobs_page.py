"""The jobs page at mlmocks-server's /mlmocks/, driven in a real headless chromium
(Debian's chromium and chromium-driver, through selenium): it shows a job made through
boto3, its buttons move and fail it, and boto3 reads what they did. Also the page's
files and headers over plain HTTP."""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlmocks import RemoteJobControl
from tests.helpers import KIND, import_model

#: Where the page's screenshot goes (git-ignored; MLMOCKS_BUILD_DIR to move it).
BUILD = Path(os.environ.get("MLMOCKS_BUILD_DIR", Path(__file__).resolve().parents[2] / "build"))
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> tuple[str, str] | None:
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver") or next(
        (path for path in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if os.path.exists(path)), None
    )
    return (browser, driver) if browser and driver else None


def _bedrock(endpoint: str) -> Any:
    return boto3.client(
        "bedrock", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret",
    )


@pytest.fixture
def browser() -> Iterator[Any]:
    found = _browser()
    if found is None:
        pytest.skip("no chromium and chromedriver installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1500,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=found[1]), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _row(driver: Any, job: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'tr.job[data-job="{job}"]')


def _wait_for(driver: Any, what: str, check: Any) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def attempt(driver: Any) -> Any:
        try:
            return check(driver)
        except (StaleElementReferenceException, LookupError):
            return False

    from selenium.common.exceptions import NoSuchElementException

    try:
        return WebDriverWait(driver, 15, ignored_exceptions=(NoSuchElementException,)).until(attempt)
    except Exception as error:  # noqa: BLE001 - say what was awaited
        message = driver.find_element("id", "message").text
        raise AssertionError(f"the page never showed {what} (its message: {message!r})") from error


def _status(driver: Any, job: str) -> str:
    from selenium.webdriver.common.by import By

    return str(_row(driver, job).find_element(By.CSS_SELECTOR, ".status").text)


def test_page_advances_and_fails_a_boto3_job(mlmocks_server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    control = RemoteJobControl(mlmocks_server)
    bedrock = _bedrock(mlmocks_server)
    # Jobs stay where the page puts them: no look by boto3 moves them on.
    control.set_progression(KIND, "manual", times=1000)
    import_model(bedrock, "page-advance", "page-advance-model")
    import_model(bedrock, "page-fail", "page-fail-model")

    browser.get(f"{mlmocks_server}/mlmocks/")
    _wait_for(browser, "the two jobs", lambda d: _row(d, "page-advance") and _row(d, "page-fail"))
    assert _status(browser, "page-advance") == "InProgress"
    service = browser.find_element(By.CSS_SELECTOR, 'section.service[data-service="bedrock"] h2').text
    assert service == "bedrock"
    assert "(manual, 1000 looks a step)" in browser.find_element(By.CSS_SELECTOR, f'form.progression[data-kind="{KIND}"]').text
    arn = _row(browser, "page-advance").get_attribute("data-arn")
    assert arn == bedrock.get_model_import_job(jobIdentifier="page-advance")["jobArn"]
    assert arn in _row(browser, "page-advance").text and "123456789012" in _row(browser, "page-advance").text

    # Advance: one status on, as boto3 then reads it.
    _row(browser, "page-advance").find_element(By.CSS_SELECTOR, "button.advance").click()
    _wait_for(browser, "page-advance Completed", lambda d: _status(d, "page-advance") == "Completed")
    assert bedrock.get_model_import_job(jobIdentifier="page-advance")["status"] == "Completed"
    assert bedrock.get_imported_model(modelIdentifier="page-advance-model")["modelName"] == "page-advance-model"

    # Fail with a message, then advance it into its failure status.
    message = "Out of memory on the page's say-so"
    row = _row(browser, "page-fail")
    row.find_element(By.CSS_SELECTOR, "input.fail-message").send_keys(message)
    row.find_element(By.CSS_SELECTOR, "button.fail").click()
    _wait_for(browser, "the destined failure", lambda d: f"will fail: {message}" in _row(d, "page-fail").text)
    assert bedrock.get_model_import_job(jobIdentifier="page-fail")["status"] == "InProgress"
    _row(browser, "page-fail").find_element(By.CSS_SELECTOR, "button.advance").click()
    _wait_for(browser, "page-fail Failed", lambda d: _status(d, "page-fail") == "Failed")
    failed = bedrock.get_model_import_job(jobIdentifier="page-fail")
    assert (failed["status"], failed["failureMessage"]) == ("Failed", message)
    assert message in _row(browser, "page-fail").find_element(By.CSS_SELECTOR, "td.failure").text
    # A finished job offers no more actions.
    assert not _row(browser, "page-fail").find_elements(By.CSS_SELECTOR, "button")

    # Filters: by text, by status.
    browser.find_element(By.ID, "filter-text").send_keys("page-adv")
    _wait_for(browser, "only page-advance", lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.job")) == 1)
    assert _row(browser, "page-advance")
    browser.find_element(By.ID, "filter-text").clear()
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("Failed")
    _wait_for(browser, "only page-fail", lambda d: [r.get_attribute("data-job") for r in d.find_elements(By.CSS_SELECTOR, "tr.job")] == ["page-fail"])
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("")

    # A new job made now shows up by itself (the page refreshes while jobs move).
    import_model(bedrock, "page-late", "page-late-model")
    _wait_for(browser, "page-late", lambda d: _row(d, "page-late"))

    # Progression: set from the page, read by the control.
    form = browser.find_element(By.CSS_SELECTOR, f'form.progression[data-kind="{KIND}"]')
    Select(form.find_element(By.CSS_SELECTOR, "select")).select_by_value("time")
    amount = form.find_element(By.CSS_SELECTOR, "input.progression-amount")
    amount.clear()
    amount.send_keys("42")
    form.find_element(By.CSS_SELECTOR, "button.set-progression").click()
    _wait_for(browser, "the time progression", lambda d: control.progressions()[KIND] == {
        "service": "bedrock", "progression": "time", "seconds": 42})

    # A refused action says why on the page.
    browser.find_element(By.ID, "save").click()
    _wait_for(browser, "the refused save", lambda d: "save refused: no state file" in d.find_element(By.ID, "message").text)

    BUILD.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(BUILD / "jobs-page.png"))


def test_page_stops_a_job_where_the_service_can(mlmocks_server: str, browser: Any) -> None:
    """SageMaker compilation jobs stop (STOPPING, STOPPED); Bedrock import jobs do not:
    the page offers Stop only where the kind has stopping statuses."""
    from selenium.webdriver.common.by import By

    control = RemoteJobControl(mlmocks_server)
    control.set_progression("sagemaker::compilation-job", "manual", times=1000)
    control.set_progression(KIND, "manual", times=1000)
    sagemaker = boto3.client(
        "sagemaker", region_name="us-east-1", endpoint_url=mlmocks_server,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret",
    )
    from tests.sagemaker.helpers import create_job

    create_job(sagemaker, "page-stop")
    import_model(_bedrock(mlmocks_server), "page-nostop", "page-nostop-model")
    browser.get(f"{mlmocks_server}/mlmocks/")
    _wait_for(browser, "the jobs", lambda d: _row(d, "page-stop") and _row(d, "page-nostop"))
    assert not _row(browser, "page-nostop").find_elements(By.CSS_SELECTOR, "button.stop")
    _row(browser, "page-stop").find_element(By.CSS_SELECTOR, "button.stop").click()
    _wait_for(browser, "page-stop STOPPING", lambda d: _status(d, "page-stop") == "STOPPING")
    assert sagemaker.describe_compilation_job(CompilationJobName="page-stop")["CompilationJobStatus"] == "STOPPING"


# -- the page's files over HTTP ----------------------------------------------------------------


def _get(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_page_files_and_headers(mlmocks_server: str) -> None:
    status, headers, body = _get(f"{mlmocks_server}/mlmocks/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<script src="jobs.js"></script>' in body
    # Its own files only, no frame around it, nothing cached.
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in headers
    for name, content_type in (("jobs.js", "text/javascript"), ("jobs.css", "text/css")):
        status, headers, body = _get(f"{mlmocks_server}/mlmocks/{name}")
        assert status == 200 and headers["Content-Type"].startswith(content_type) and body
    # The script calls the control's methods, as RemoteJobControl does.
    script = _get(f"{mlmocks_server}/mlmocks/jobs.js")[2].decode()
    assert "/mlmocks-api/${method}" in script and '"Content-Type": "application/json"' in script
    for method in ('"jobs"', '"progressions"', '"advance"', '"fail"', '"stop"', '"set_progression"'):
        assert method in script

    assert _get(f"{mlmocks_server}/mlmocks/nope.js")[0] == 404
    assert _get(f"{mlmocks_server}/mlmocks/../setup.cfg")[0] in (400, 404)
    assert _get(f"{mlmocks_server}/mlmocks/", "POST")[0] == 405
    # /mlmocks redirects to the page (Python 3.10's urllib does not follow a 308 itself).
    status, headers, _ = _get(f"{mlmocks_server}/mlmocks")
    if status == 308:
        assert headers["Location"].endswith("/mlmocks/")
        status, headers, _ = _get(f"{mlmocks_server}{headers['Location']}" if headers["Location"].startswith("/") else headers["Location"])
    assert status == 200
    # Served only to its own host names (DNS rebinding), and no other site's page.
    assert _get(f"{mlmocks_server}/mlmocks/", headers={"Host": "attacker.example"})[0] == 403
    assert _get(f"{mlmocks_server}/mlmocks/", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403


def test_page_files_are_installed_with_the_package() -> None:
    from importlib import resources

    folder = resources.files("mlmocks").joinpath("static")
    assert {"index.html", "jobs.js", "jobs.css"} <= {entry.name for entry in folder.iterdir()}
    # setup.cfg ships them (a wheel without them would answer 500 for the page).
    setup = (Path(__file__).resolve().parents[2] / "setup.cfg").read_text()
    assert "static/*" in setup
