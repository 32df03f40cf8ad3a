<?php

declare(strict_types=1);

namespace PhpBackend;

final class Response
{
    /** @param array<string, string> $headers */
    public function __construct(
        public readonly int $status,
        public readonly string $body,
        public readonly array $headers = ['Content-Type' => 'application/json'],
    ) {
    }

    /** @param array<mixed> $data */
    public static function json(int $status, array $data): self
    {
        return new self($status, json_encode($data, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES));
    }

    /** @return array<mixed> */
    public function decoded(): array
    {
        return (array) json_decode($this->body, true, 16, JSON_THROW_ON_ERROR);
    }
}
