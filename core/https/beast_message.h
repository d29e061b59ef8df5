// Conversions between Beast's HTTP messages, which the server reads and writes, and the plain
// HttpRequest and HttpResponse its handlers see (core/https/message.h).
#pragma once

#include <boost/beast/http.hpp>

#include "core/https/message.h"

namespace ks::https {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Header names lower-cased; a header given more than once is joined with ", " (RFC 9110 5.3).
HttpRequest ToHttpRequest(const BeastRequest& message);

BeastResponse ToBeastResponse(const HttpResponse& response, unsigned version, bool keep_alive);

}  // namespace ks::https
