package io.sorthub.hub.ops;

import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every malformed body and parameter of the operations API gets 400 (404 for what does not
 * exist) with a one-line message naming the problem, and changes nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpsApiMalformedTest {
    @TempDir
    static Path dir;
    private static HubService hub;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        hub = HubService.start(TestHub.config(dir));
        http = new Http(hub.httpPort());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "PUT|/api/holds/SF1|{|400|body is not a JSON object",
        "PUT|/api/holds/SF1|[1]|400|body is not a JSON object",
        "PUT|/api/holds/SF1|{\"reasn\": \"x\"}|400|unknown field \"reasn\"",
        "PUT|/api/holds/SF1|{\"reason\": 7}|400|\"reason\" must be a string",
        "PUT|/api/holds/SF1|`{\"reason\": \"RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR\"}`|400|reason is 65 characters long",
        "PUT|/api/holds/SF1|{\"reason\": \"a\\u0009b\"}|400|control character 0x09",
        "PUT|/api/holds/SF%201|{}|400|barcode has a space at character 3",
        "PUT|/api/holds/SF%C3%A91|{}|400|non-ASCII character U+00E9",
        "PUT|/api/holds/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX|{}|400|65 characters long; the limit is 64",
        "POST|/api/holds|SF1\\nSF 2\\nSF3\\n\\u0007X|400|2 bad lines; nothing was loaded",
        "POST|/api/holds||400|the body holds no barcode",
        "POST|/api/holds?replace=yes|SF1|400|replace must be true or false",
        "POST|/api/holds?replce=true|SF1|400|unknown parameter 'replce'",
        "GET|/api/holds?limit=0||400|limit must be a whole number from 1 to 10000",
        "GET|/api/holds?offset=x||400|offset must be a whole number",
        "GET|/api/holds/NOPE||404|barcode NOPE is not on hold",
        "DELETE|/api/holds/NOPE||404|barcode NOPE is not on hold",
        "POST|/api/overrides|{\"outlet\": 5, \"minutes\": 5}|400|give exactly one of \"barcode\" and \"destination\"",
        "POST|/api/overrides|{\"barcode\": \"A\", \"destination\": \"B\", \"outlet\": 5, \"minutes\": 5}|400|give exactly one of",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 500, \"minutes\": 5}|400|outlet 500 is not an outlet of the sort plan in force",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 0, \"minutes\": 5}|400|\"outlet\" must be a whole number from 1 to 65535",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 5.5, \"minutes\": 5}|400|\"outlet\" must be a whole number",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 5}|400|give exactly one of \"until\"",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 5, \"minutes\": 20000}|400|\"minutes\" must be a whole number from 1 to 10080",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 5, \"until\": \"tomorrow\"}|400|until 'tomorrow' is not an ISO-8601 time",
        "POST|/api/overrides|{\"barcode\": \"A\", \"outlet\": 5, \"until\": \"2001-01-01T00:00:00Z\"}|400|until must be in the future and at most 7 days ahead",
        "POST|/api/overrides|{\"destination\": \"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\", \"outlet\": 5, \"minutes\": 5}|400|destination is 33 characters long; the limit is 32",
        "DELETE|/api/overrides/customer/A||404|no override scope 'customer'",
        "DELETE|/api/overrides/barcode/A||404|no override in force for barcode A",
        "POST|/api/rekeys|{\"parcelId\": \"T1\"}|400|\"barcode\" must be a string",
        "POST|/api/rekeys|{\"parcelId\": \"TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT\", \"barcode\": \"SF1\"}|400|parcelId is 33 characters long; the limit is 32",
        "POST|/api/rekeys|{\"parcelId\": \"T1\", \"barcode\": \"\"}|400|barcode is missing",
        "POST|/api/rekeys||400|a JSON object body is required",
        "GET|/api/rekeys/T404||404|parcel id T404 has no re-keyed barcode",
        "PUT|/api/outlets/500/bag|{\"bagId\": \"B1\"}|404|outlet 500 is not in the sort plan in force",
        "PUT|/api/outlets/x/bag|{\"bagId\": \"B1\"}|400|outlet id 'x' is not a number",
        "PUT|/api/outlets/5/bag|{\"bag\": \"B1\"}|400|unknown field \"bag\"",
        "PUT|/api/outlets/5/bag|{\"bagId\": \"B 1\"}|400|bagId has a space",
        "POST|/api/outlets/5/bag/seal||404|no bag is open at outlet 5",
        "GET|/api/bags/NOPE||404|bag NOPE is not known to this hub",
        "GET|/api/outlets/5/parcels?minutes=0||400|minutes must be a whole number from 1 to 1440",
        "GET|/api/outlets/5/parcels?since=yesterday||400|since 'yesterday' is not an ISO-8601 time",
        "GET|/api/outlets/5/parcels?limit=20000||400|limit must be a whole number from 1 to 10000",
        "GET|/api/outlets/5/parcels?sinse=1||400|unknown parameter 'sinse'",
    })
    void isRefusedNamingTheProblem(String method, String path, String body, int status, String message) throws Exception {
        final String text = body == null ? "" : body.replace("\\n", "\n").replace("\\t", "\t").replace("\\u0007", "\u0007");
        final HttpResponse<String> response = switch (method) {
            case "GET" -> http.get(path);
            case "PUT" -> http.put(path, text);
            case "POST" -> http.post(path, text);
            default -> http.delete(path);
        };
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(http.json(response).getString("error")).as("one line naming the problem").contains(message)
            .doesNotContain("\n").doesNotContain("Exception");
        assertThat(http.json(http.get("/api/holds")).getInteger("count")).as("nothing was put on hold").isZero();
        assertThat(new io.vertx.core.json.JsonArray(http.get("/api/overrides").body())).as("no override was made").isEmpty();
    }
}
