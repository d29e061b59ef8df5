// Conversions between Beast's HTTP messages, which the server reads and writes, and the plain
// HttpRequest and HttpResponse its handlers see (core/https/message.h).
#pragma once

#include <boost/beast/http.hpp>

#include "core/https/message.h"

namespace ks::https {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Header names lower-cased; a header given more than once is joined with ", " (RFC 9110 5.3). The
// body is moved, not copied: `message` keeps its header only.
HttpRequest ToHttpRequest(BeastRequest&& message);

// The body is moved, not copied.
BeastResponse ToBeastResponse(HttpResponse&& response, unsigned version, bool keep_alive);

}  // namespace ks::https
