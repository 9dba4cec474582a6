package uk.wycps.mock.fhir;
import org.junit.jupiter.api.Test;
class ScratchTest {
  @Test void t() {
    long t0=System.nanoTime();
    System.out.println(HapiR4.errors("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[],\"link\":[{\"relation\":\"self\",\"url\":\"http://x/Patient\"}]}"));
    System.out.println("ms="+(System.nanoTime()-t0)/1e6);
    t0=System.nanoTime();
    System.out.println(HapiR4.errors("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":1,\"entry\":[{\"fullUrl\":\"urn:wycps:Patient/KI-1\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"KI-1\",\"extension\":[{\"url\":\"https://wycps.example/fhir/StructureDefinition/legal-status\",\"valueString\":\"x\"}],\"gender\":\"female\"},\"search\":{\"mode\":\"match\"}},{\"fullUrl\":\"urn:wycps:Flag/f\",\"resource\":{\"resourceType\":\"Flag\",\"id\":\"f\",\"status\":\"active\",\"subject\":{\"reference\":\"Patient/KI-1\"},\"code\":{\"coding\":[{\"system\":\"https://wycps.example/fhir/CodeSystem/register-flag\",\"code\":\"looked-after\"}]}},\"search\":{\"mode\":\"include\"}}]}"));
    System.out.println("ms="+(System.nanoTime()-t0)/1e6);
  }
}
