package io.sorthub.gateway;

public final class GatewayMain {
    public static void main(String[] args) {
    }
}
