# news57's frontend cache: Varnish in front of the web server (README, "Speed and the frontend cache").
#
# bin/frontend-cache fills in the backend's host and port. Public pages are kept for as long as
# their Cache-Control allows (s-maxage is ours: a day for a page that purges keep fresh,
# a minute for a filtered or paginated list); news57 purges what a change shows, through PURGE
# requests carrying a regular expression over host and path (news57/public/purging.py).
vcl 4.1;

backend default {
    .host = "__BACKEND_HOST__";
    .port = "__BACKEND_PORT__";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may purge: the web server's and the workers' machines (loopback here; add the private network).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # One ban per request: every cached object whose host and path match the expression.
        # A space would end the expression early, so none is accepted.
        if (!req.http.X-Purge-Regex || req.http.X-Purge-Regex ~ "\s") {
            return (synth(400, "X-Purge-Regex is missing or holds a space"));
        }
        ban("obj.http.X-Cache-Url ~ " + req.http.X-Purge-Regex);
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, and anyone signed in, always reach the web server.
    if (req.url ~ "^/(admin|django-admin)(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics and the like) means nothing to news57: one copy for everyone.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept on the object so a ban can match it without the request (the ban lurker works in the background).
    set beresp.http.X-Cache-Url = bereq.http.host + bereq.url;
    # While the web server is down or slow, a reader gets the last copy for up to an hour.
    set beresp.grace = 1h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.X-Cache-Url;
}
