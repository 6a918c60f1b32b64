"""The ``propdesk`` command: Django's management commands plus a few of PropDesk's own.

    propdesk serve [--host 127.0.0.1] [--port 8000] [--threads 8] [--reuse-port]   serve the console with waitress
    propdesk scaled [--port 8000] [--web 2] [--workers 2]              PostgreSQL, web processes on one address, workers
    propdesk demo [--seed N] [--reset]                                 build the demo company (DEBUG=1 unless set)
    propdesk <any Django command>                                      migrate, createsuperuser, check …
"""

import argparse
import os
import sys


def _django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="propdesk serve", description="Serve PropDesk with waitress.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
    parser.add_argument("--reuse-port", action="store_true",
                        help="share the port with other serve processes (SO_REUSEPORT: the kernel spreads connections)")
    args = parser.parse_args(argv)
    _django_setup()
    from waitress import serve as waitress_serve

    from propdesk import serving

    try:
        serving.check_mode(args.host)
        serving.run_system_checks()
        serving.check_static_files()
        from config.wsgi import application

        app, proxy = serving.proxy_options(application)
    except serving.StartupRefused as refused:
        print(f"propdesk serve: not starting. {refused}", file=sys.stderr, flush=True)
        return 2
    print(f"PropDesk: http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    where = {"sockets": [reuse_port_socket(args.host, args.port)]} if args.reuse_port else \
        {"host": args.host, "port": args.port}
    # A request body larger than any form takes (ten photos, one Excel file) is refused by waitress with 413 before
    # it is spooled to disk or reaches Django.
    max_body = int(os.environ.get("MAX_REQUEST_BODY_MB", "64")) * 1024 * 1024
    waitress_serve(app, threads=args.threads, ident="propdesk", max_request_body_size=max_body, **where, **proxy)
    return 0


def reuse_port_socket(host: str, port: int):
    """A listening socket that other processes may bind too (Linux SO_REUSEPORT): several ``serve`` processes on one
    address, the kernel handing each new connection to one of them (``propdesk scaled``)."""
    import socket

    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(1024)
    return sock


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    if argv and argv[0] == "scaled":
        from .topology import scaled

        return scaled(argv[1:])
    if argv and argv[0] == "demo":
        os.environ.setdefault("DEBUG", "1")  # the demo company is the local demo's (a generated key in var/)
        os.environ.setdefault("DEMO_MESSAGE_LOG", "1")  # its texts (sign-in codes) readable on /demo/messages/
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["propdesk", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
