# Sourced by bench scripts: nginx serving $1/static.json on every path, the bound for a gallery read.
#   nginx_static DIR PORT ACCESS_LOG   ACCESS_LOG: "off", or a file path; writes DIR/nginx.pid
nginx_static() {
  local dir=$1 port=$2 access_log=$3
  mkdir -p "$dir/nginx"
  cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $access_log;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx;
  uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    root $dir;
    location / { default_type application/json; try_files /static.json =404; }
  }
}
CONF
  /usr/sbin/nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
  sleep 0.3
}
