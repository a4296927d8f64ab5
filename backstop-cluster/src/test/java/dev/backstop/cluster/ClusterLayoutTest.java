package dev.backstop.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterLayoutTest {

  @Test
  void eachNodeHasTenPortsFromItsBaseInAeronsMemberOrder() {
    ClusterLayout layout = new ClusterLayout("127.0.0.1", 3, 9000);
    assertThat(layout.clusterMembers())
        .isEqualTo(
            "0,127.0.0.1:9002,127.0.0.1:9003,127.0.0.1:9004,127.0.0.1:9005,127.0.0.1:9001|"
                + "1,127.0.0.1:9012,127.0.0.1:9013,127.0.0.1:9014,127.0.0.1:9015,127.0.0.1:9011|"
                + "2,127.0.0.1:9022,127.0.0.1:9023,127.0.0.1:9024,127.0.0.1:9025,127.0.0.1:9021|");
    assertThat(layout.ingressEndpoints())
        .isEqualTo("0=127.0.0.1:9002,1=127.0.0.1:9012,2=127.0.0.1:9022");
    assertThat(layout.statusEndpoint(2)).isEqualTo("127.0.0.1:9020");
  }

  @Test
  void aLayoutThatCannotBeIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new ClusterLayout("127.0.0.1", 0, 9000))
        .hasMessage("a cluster has 1 to 9 members, not 0");
    assertThatThrownBy(() -> new ClusterLayout("127.0.0.1", 3, 65510))
        .hasMessageContaining("leaves no room for 3 members");
    assertThatThrownBy(() -> new ClusterLayout(" ", 3, 9000))
        .hasMessage("the cluster's host is missing");
    assertThatThrownBy(() -> new ClusterLayout("127.0.0.1", 3, 9000).port(3, 0))
        .hasMessage("member 3 is not one of 0 to 2");
  }
}
