<?php

declare(strict_types=1);

namespace PhpBackend;

/**
 * The routes. The ALB forwards the path the client sent, so the service's routes live under
 * SERVICE_PATH (`/eshop/...`); the health path is called by the ALB and by the container
 * health check directly and stays outside it.
 */
final class App
{
    public const HEALTH_PATH = '/health';

    public function __construct(
        private readonly Settings $settings,
        private readonly ?ProductCatalog $catalog,
    ) {
    }

    public function handle(string $method, string $uri): Response
    {
        $path = rtrim((string) parse_url($uri, PHP_URL_PATH), '/') ?: '/';
        $base = $this->settings->servicePath;
        if ($path === self::HEALTH_PATH) {
            // Liveness only: a database outage must not make ECS replace every task at once.
            return $method === 'GET' || $method === 'HEAD'
                ? Response::json(200, ['status' => 'ok', 'service' => $this->settings->serviceName])
                : Response::json(405, ['error' => 'method not allowed']);
        }
        if ($path === $base . '/products') {
            if ($method !== 'GET') {
                return Response::json(405, ['error' => 'method not allowed']);
            }
            if ($this->catalog === null) {
                return Response::json(503, ['error' => 'no database configured']);
            }
            try {
                return Response::json(200, ['products' => $this->catalog->products()]);
            } catch (\PDOException $e) {
                // Never echo driver messages: they can name hosts and users.
                error_log('products query failed: ' . $e->getMessage());
                return Response::json(503, ['error' => 'database unavailable']);
            }
        }
        if ($path === ($base === '' ? '/' : $base)) {
            return Response::json(200, ['service' => $this->settings->serviceName, 'routes' => [$base . '/products']]);
        }
        return Response::json(404, ['error' => 'not found']);
    }
}
