#include "http/client_address.h"

#include <gtest/gtest.h>

using shopdesk::http::clientAddress;

TEST(ClientAddress, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(clientAddress("203.0.113.7", "198.51.100.1", {}), "203.0.113.7");
}

TEST(ClientAddress, ATrustedProxyIsLookedThrough) {
  const std::vector<std::string> proxies = {"10.0.0.2", "10.0.0.3"};
  EXPECT_EQ(clientAddress("10.0.0.2", "198.51.100.1", proxies), "198.51.100.1");
  // Two proxies in a row: the right-most address that is not one of ours.
  EXPECT_EQ(clientAddress("10.0.0.2", "198.51.100.1, 10.0.0.3", proxies), "198.51.100.1");
  // A client that sends its own header cannot pick its bucket: only the hop our proxy appended counts.
  EXPECT_EQ(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1", proxies), "198.51.100.1");
  EXPECT_EQ(clientAddress("10.0.0.2", " , 198.51.100.1 ,", proxies), "198.51.100.1");
}

TEST(ClientAddress, AnUntrustedPeersHeaderIsIgnored) {
  EXPECT_EQ(clientAddress("203.0.113.7", "1.2.3.4", {"10.0.0.2"}), "203.0.113.7");
}

TEST(ClientAddress, AProxyWithNoHeaderIsItsOwnClient) {
  EXPECT_EQ(clientAddress("10.0.0.2", "", {"10.0.0.2"}), "10.0.0.2");
  EXPECT_EQ(clientAddress("10.0.0.2", "10.0.0.2", {"10.0.0.2"}), "10.0.0.2");
}
