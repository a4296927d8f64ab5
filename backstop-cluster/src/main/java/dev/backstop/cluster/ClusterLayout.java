package dev.backstop.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the members of a cluster listen: {@code members} nodes on one host, node {@code i} on the
 * ten ports from {@code basePort + 10 * i}: its status endpoint (+0), archive control (+1), client
 * ingress (+2), consensus (+3), log (+4) and catch-up (+5). Every node and client of a cluster is
 * given the same layout.
 *
 * @param host the address every member listens on (one machine: {@code 127.0.0.1})
 * @param members the number of members, 1 to 9 (3 survives the loss of one)
 * @param basePort the first port of node 0
 */
public record ClusterLayout(String host, int members, int basePort) {

  /** Ports a node takes from its base. */
  public static final int PORTS_PER_NODE = 10;

  /** The port offsets of a node. */
  static final int STATUS = 0;

  static final int ARCHIVE = 1;
  static final int INGRESS = 2;
  static final int CONSENSUS = 3;
  static final int LOG = 4;
  static final int CATCHUP = 5;

  /** Checks the layout: a host, 1 to 9 members, every port in range. */
  public ClusterLayout {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the cluster's host is missing");
    }
    if (members < 1 || members > 9) {
      throw new IllegalArgumentException("a cluster has 1 to 9 members, not " + members);
    }
    if (basePort < 1024 || basePort + members * PORTS_PER_NODE > 65535) {
      throw new IllegalArgumentException(
          "base port "
              + basePort
              + " leaves no room for "
              + members
              + " members of "
              + PORTS_PER_NODE
              + " ports each below 65536 (and it must be 1024 or more)");
    }
  }

  /** Node {@code member}'s port at {@code offset}. */
  public int port(int member, int offset) {
    if (member < 0 || member >= members) {
      throw new IllegalArgumentException(
          "member " + member + " is not one of 0 to " + (members - 1));
    }
    return basePort + member * PORTS_PER_NODE + offset;
  }

  /** Node {@code member}'s status endpoint, {@code host:port}. */
  public String statusEndpoint(int member) {
    return host + ":" + port(member, STATUS);
  }

  /** Aeron Cluster's member list: {@code id,ingress,consensus,log,catchup,archive|...}. */
  public String clusterMembers() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < members; i++) {
      out.append(i);
      for (int offset : new int[] {INGRESS, CONSENSUS, LOG, CATCHUP, ARCHIVE}) {
        out.append(',').append(host).append(':').append(port(i, offset));
      }
      out.append('|');
    }
    return out.toString();
  }

  /** The clients' ingress endpoints: {@code 0=host:port,1=host:port,...}. */
  public String ingressEndpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      endpoints.add(i + "=" + host + ":" + port(i, INGRESS));
    }
    return String.join(",", endpoints);
  }

  /** An Aeron UDP channel on {@code host:port}. */
  String udp(int port) {
    return "aeron:udp?endpoint=" + host + ":" + port;
  }
}
