package com.example.images.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Every HTML page (the product pages, the index, /docs, the error pages a browser gets) says
 * which scripts and styles it may run: only this service's own files, nothing inline, so that
 * markup slipped into a page cannot run; images may come from any http(s) host, as gallery
 * images do. It also keeps the page's URL out of the Referer of the image requests it makes.
 */
public final class PagePolicy implements Routes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' https: http: data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
    static final String REFERRER_POLICY = "strict-origin-when-cross-origin";

    @Override
    public void addTo(RoutesConfig routes) {
        routes.after(PagePolicy::apply);
    }

    static void apply(Context ctx) {
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith("text/html")) {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("Referrer-Policy", REFERRER_POLICY);
        }
    }
}
